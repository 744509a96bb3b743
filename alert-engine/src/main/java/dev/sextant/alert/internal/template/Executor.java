package dev.sextant.alert.internal.template;

import dev.sextant.alert.internal.template.Node.Arg;
import dev.sextant.alert.internal.template.Node.Cmd;
import dev.sextant.alert.internal.template.Node.Control;
import dev.sextant.alert.internal.template.Node.Pipe;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Executes parsed templates with Go's semantics (truthiness, missingkey=zero for maps). */
final class Executor {
  /** A failure while executing; becomes the Go-style error message. */
  static final class ExecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ExecException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Most characters one execution may produce, and the longest string any function may return:
   * past it the execution fails with a template error instead of growing until the heap is gone
   * (a doubling {@code printf} in a {@code range} reaches gigabytes in 30 steps).
   */
  static final int MAX_OUTPUT = 64 * 1024;
  /** Most {@code range} iterations one execution may run, over all ranges together. */
  static final int MAX_RANGE_STEPS = 100_000;

  private static final Object NONE = new Object();
  private int rangeSteps;

  private final String name;
  final TemplateContext ctx;
  private final StringBuilder out = new StringBuilder();
  private final List<String> varNames = new ArrayList<>();
  private final List<Object> varValues = new ArrayList<>();
  private Node.Pos pos;

  Executor(String name, TemplateContext ctx) {
    this.name = name;
    this.ctx = ctx;
  }

  String run(List<Node> nodes, Object dot, Map<String, Object> vars) throws TemplateException {
    push("$", dot);
    vars.forEach(this::push);
    try {
      walk(nodes, dot);
    } catch (ExecException e) {
      Node.Pos p = pos;
      throw new TemplateException("template: " + name + ":" + (p == null ? 1 : p.line()) + ":"
          + (p == null ? 1 : p.col()) + ": executing \"" + name + "\" at <"
          + (p == null ? "" : p.source()) + ">: " + e.getMessage());
    } catch (StackOverflowError e) {
      throw new TemplateException("template: " + name + ": exceeded maximum template depth");
    }
    return out.toString();
  }

  private void push(String n, Object v) {
    varNames.add(n);
    varValues.add(v);
  }

  private void popTo(int mark) {
    while (varNames.size() > mark) {
      varNames.remove(varNames.size() - 1);
      varValues.remove(varValues.size() - 1);
    }
  }

  private Object var(String n) {
    for (int i = varNames.size() - 1; i >= 0; i--) {
      if (varNames.get(i).equals(n)) {
        return varValues.get(i);
      }
    }
    throw new ExecException("undefined variable: " + n);
  }

  private void setVar(String n, Object v) {
    for (int i = varNames.size() - 1; i >= 0; i--) {
      if (varNames.get(i).equals(n)) {
        varValues.set(i, v);
        return;
      }
    }
    throw new ExecException("undefined variable: " + n);
  }

  private void walk(List<Node> nodes, Object dot) {
    for (Node n : nodes) {
      if (n instanceof Node.Text t) {
        append(t.text());
      } else if (n instanceof Node.Action a) {
        pos = a.pos();
        Object v = evalPipe(a.pipe(), dot);
        if (a.pipe().decl().isEmpty()) {
          append(GoFormat.print(v));
        }
      } else if (n instanceof Control c) {
        control(c, dot);
      }
    }
  }

  private void append(String s) {
    if (out.length() + s.length() > MAX_OUTPUT) {
      throw new ExecException("output exceeds the limit of " + MAX_OUTPUT + " characters");
    }
    out.append(s);
  }

  private void control(Control c, Object dot) {
    int mark = varNames.size();
    pos = c.pos();
    try {
      if (c.keyword().equals("range")) {
        range(c, dot);
        return;
      }
      Object v = evalPipe(c.pipe(), dot);
      if (truth(v)) {
        walk(c.body(), c.keyword().equals("with") ? v : dot);
      } else if (c.elseBody() != null) {
        walk(c.elseBody(), dot);
      }
    } finally {
      popTo(mark);
    }
  }

  private void range(Control c, Object dot) {
    Pipe p = c.pipe();
    Object v = evalPipe(new Pipe(List.of(), false, p.cmds(), p.pos()), dot);
    List<Object[]> entries = new ArrayList<>();
    if (v instanceof Map<?, ?> m) {
      m.forEach((k, e) -> entries.add(new Object[] {k, e}));
    } else if (v instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        entries.add(new Object[] {(long) i, l.get(i)});
      }
    } else if (v instanceof Long n) {
      // Checked before the list is built: {{range 1000000000}} must not allocate a billion rows.
      if (n > MAX_RANGE_STEPS - rangeSteps) {
        throw new ExecException("range iterations exceed the limit of " + MAX_RANGE_STEPS);
      }
      for (long i = 0; i < n; i++) {
        entries.add(new Object[] {i, i});
      }
    } else if (v != null) {
      throw new ExecException("range can't iterate over " + GoFormat.print(v));
    }
    if (entries.isEmpty()) {
      if (c.elseBody() != null) {
        walk(c.elseBody(), dot);
      }
      return;
    }
    int mark = varNames.size();
    for (Object[] e : entries) {
      step();
      if (p.decl().size() == 1) {
        push(p.decl().get(0), e[1]);
      } else if (p.decl().size() == 2) {
        push(p.decl().get(0), e[0]);
        push(p.decl().get(1), e[1]);
      }
      walk(c.body(), e[1]);
      popTo(mark);
    }
  }

  private void step() {
    if (++rangeSteps > MAX_RANGE_STEPS) {
      throw new ExecException("range iterations exceed the limit of " + MAX_RANGE_STEPS);
    }
  }

  private Object evalPipe(Pipe p, Object dot) {
    Object v = NONE;
    for (Cmd c : p.cmds()) {
      v = evalCmd(c, dot, v);
    }
    if (v == NONE) {
      v = null;
    }
    for (String d : p.decl()) {
      if (p.assign()) {
        setVar(d, v);
      } else {
        push(d, v);
      }
    }
    return v;
  }

  private Object evalCmd(Cmd c, Object dot, Object piped) {
    Arg first = c.args().get(0);
    if (first instanceof Node.Func f) {
      List<Arg> rest = c.args().subList(1, c.args().size());
      if (f.name().equals("and") || f.name().equals("or")) {
        return andOr(f.name().equals("and"), rest, dot, piped);
      }
      List<Object> args = new ArrayList<>(rest.size() + 1);
      for (Arg a : rest) {
        args.add(evalArg(a, dot));
      }
      if (piped != NONE) {
        args.add(piped);
      }
      Object v;
      try {
        v = Funcs.call(f.name(), this, args);
      } catch (ExecException e) {
        throw e;
      } catch (Exception e) {
        throw new ExecException("error calling " + f.name() + ": " + e.getMessage());
      }
      if (v instanceof String s && s.length() > MAX_OUTPUT) {
        throw new ExecException("error calling " + f.name() + ": result exceeds the limit of "
            + MAX_OUTPUT + " characters");
      }
      return v;
    }
    if (c.args().size() > 1 || piped != NONE) {
      throw new ExecException("can't give argument to non-function " + describe(first));
    }
    return evalArg(first, dot);
  }

  private Object andOr(boolean and, List<Arg> rest, Object dot, Object piped) {
    int n = rest.size() + (piped != NONE ? 1 : 0);
    if (n < 2) {
      throw new ExecException("wrong number of args for " + (and ? "and" : "or")
          + ": want at least 2 got " + n);
    }
    Object v = null;
    for (int i = 0; i < n; i++) {
      v = i < rest.size() ? evalArg(rest.get(i), dot) : piped;
      if (truth(v) != and) {
        return v;
      }
    }
    return v;
  }

  private static String describe(Arg a) {
    if (a instanceof Node.Literal l) {
      return GoFormat.print(l.value());
    }
    if (a instanceof Node.Var v) {
      return v.name();
    }
    return a.toString();
  }

  private Object evalArg(Arg a, Object dot) {
    if (a instanceof Node.Literal l) {
      return l.value();
    }
    if (a instanceof Node.Dot) {
      return dot;
    }
    if (a instanceof Node.Field f) {
      return fields(dot, f.chain());
    }
    if (a instanceof Node.Var v) {
      return fields(var(v.name()), v.chain());
    }
    if (a instanceof Node.Sub s) {
      return fields(evalPipe(s.pipe(), dot), s.chain());
    }
    if (a instanceof Node.Func f) {
      return evalCmd(new Cmd(List.of(f)), dot, NONE);
    }
    throw new ExecException("can't evaluate " + a);
  }

  private static Object fields(Object v, List<String> chain) {
    for (String f : chain) {
      if (v instanceof GoStruct s) {
        if (!s.fields().containsKey(f)) {
          throw new ExecException("can't evaluate field " + f + " in type " + s.typeName());
        }
        v = s.fields().get(f);
      } else if (v instanceof Map<?, ?> m) {
        Object x = m.get(f);
        v = x == null ? "" : x;
      } else if (v == null) {
        throw new ExecException("nil pointer evaluating interface {}." + f);
      } else {
        throw new ExecException("can't evaluate field " + f + " in type " + GoFormat.typeName(v));
      }
    }
    return v;
  }

  static boolean truth(Object v) {
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Double d) {
      return d != 0;
    }
    if (v instanceof Long l) {
      return l != 0;
    }
    if (v instanceof String s) {
      return !s.isEmpty();
    }
    if (v instanceof Map<?, ?> m) {
      return !m.isEmpty();
    }
    if (v instanceof Collection<?> c) {
      return !c.isEmpty();
    }
    return true;
  }
}
