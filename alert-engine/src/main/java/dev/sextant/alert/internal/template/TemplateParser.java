package dev.sextant.alert.internal.template;

import dev.sextant.alert.internal.template.Node.Action;
import dev.sextant.alert.internal.template.Node.Arg;
import dev.sextant.alert.internal.template.Node.Cmd;
import dev.sextant.alert.internal.template.Node.Control;
import dev.sextant.alert.internal.template.Node.Pipe;
import dev.sextant.alert.internal.template.Node.Pos;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses a Go text/template into {@link Node}s. Like Go, it rejects undefined variables and
 * unknown functions at parse time, which is what lets {@code rules check} catch
 * {@code {{ $label.foo }}}.
 */
final class TemplateParser {
  private enum T { IDENT, FIELD, VAR, STRING, NUMBER, LPAREN, RPAREN, PIPE, DECLARE, ASSIGN, COMMA, DOT }

  private record Tok(T type, String text, Object value, boolean spaceBefore) {}

  /** One lexed segment: text, or an action's tokens. */
  private record Item(String text, List<Tok> toks, Pos pos) {}

  private final String name;
  private final Set<String> funcs;
  /**
   * Deepest nesting of {@code {{if}}/{{range}}/{{with}}} blocks and parenthesised pipelines
   * (Go's text/template allows 10,000 on a growable stack; ours is fixed, and rule authors nest
   * a handful).
   */
  static final int MAX_DEPTH = 100;

  private final List<Item> items = new ArrayList<>();
  private int depth;
  private int itemIdx;
  private final Deque<List<String>> scopes = new ArrayDeque<>();

  private TemplateParser(String name, Set<String> funcs, Set<String> predefinedVars) {
    this.name = name;
    this.funcs = funcs;
    List<String> top = new ArrayList<>(predefinedVars);
    top.add("$");
    scopes.push(top);
  }

  static List<Node> parse(String name, String text, Set<String> funcs, Set<String> vars)
      throws TemplateException {
    TemplateParser p = new TemplateParser(name, funcs, vars);
    p.lex(text);
    List<Node> nodes = new ArrayList<>();
    String end = p.parseList(nodes);
    if (end != null) {
      throw p.error(p.items.get(p.itemIdx - 1).pos, "unexpected {{" + end + "}}");
    }
    return nodes;
  }

  private TemplateException error(Pos pos, String msg) {
    return new TemplateException("template: " + name + ":" + pos.line() + ": " + msg);
  }

  // ---- lexing ----

  private void lex(String s) throws TemplateException {
    int i = 0;
    int line = 1;
    boolean trimNext = false;
    while (i < s.length()) {
      int open = s.indexOf("{{", i);
      String text = open < 0 ? s.substring(i) : s.substring(i, open);
      if (trimNext) {
        text = text.stripLeading();
      }
      if (open < 0) {
        addText(text);
        break;
      }
      int j = open + 2;
      boolean trimLeft = s.startsWith("- ", j) || s.startsWith("-\t", j) || s.startsWith("-\n", j);
      if (trimLeft) {
        text = text.stripTrailing();
        j += 2;
      }
      addText(text);
      line += count(s, i, open);
      int col = open - s.lastIndexOf('\n', open - 1);
      int close = findClose(s, j);
      if (close < 0) {
        throw new TemplateException("template: " + name + ":" + line + ": unclosed action");
      }
      boolean trimRight = close - 2 >= j && s.charAt(close - 1) == '-'
          && Character.isWhitespace(s.charAt(close - 2));
      String body = s.substring(j, trimRight ? close - 1 : close);
      Pos pos = new Pos(line, col, s.substring(open, close + 2));
      String trimmed = body.strip();
      if (trimmed.startsWith("/*")) {
        if (!trimmed.endsWith("*/")) {
          throw error(pos, "unclosed comment");
        }
      } else {
        items.add(new Item(null, tokenize(body, pos), pos));
      }
      line += count(s, open, close);
      i = close + 2;
      trimNext = trimRight;
    }
  }

  private void addText(String t) {
    if (!t.isEmpty()) {
      items.add(new Item(t, null, null));
    }
  }

  private static int count(String s, int from, int to) {
    int n = 0;
    for (int k = from; k < to; k++) {
      if (s.charAt(k) == '\n') {
        n++;
      }
    }
    return n;
  }

  private static int findClose(String s, int from) {
    int i = from;
    while (i < s.length() - 1) {
      char c = s.charAt(i);
      if (c == '"' || c == '`' || c == '\'') {
        int k = i + 1;
        while (k < s.length() && s.charAt(k) != c) {
          if (c != '`' && s.charAt(k) == '\\') {
            k++;
          }
          k++;
        }
        i = k + 1;
        continue;
      }
      if (c == '}' && s.charAt(i + 1) == '}') {
        return i;
      }
      i++;
    }
    return -1;
  }

  private List<Tok> tokenize(String b, Pos pos) throws TemplateException {
    List<Tok> out = new ArrayList<>();
    int i = 0;
    boolean space = true;
    while (i < b.length()) {
      char c = b.charAt(i);
      if (Character.isWhitespace(c)) {
        space = true;
        i++;
        continue;
      }
      int start = i;
      if (c == '"') {
        StringBuilder sb = new StringBuilder();
        i++;
        while (i < b.length() && b.charAt(i) != '"') {
          char d = b.charAt(i);
          if (d == '\\' && i + 1 < b.length()) {
            char e = b.charAt(++i);
            switch (e) {
              case 'n' -> sb.append('\n');
              case 't' -> sb.append('\t');
              case 'r' -> sb.append('\r');
              case '\\' -> sb.append('\\');
              case '"' -> sb.append('"');
              case 'u' -> {
                sb.append((char) Integer.parseInt(b.substring(i + 1, i + 5), 16));
                i += 4;
              }
              default -> throw error(pos, "invalid syntax in string: \\" + e);
            }
          } else {
            sb.append(d);
          }
          i++;
        }
        if (i >= b.length()) {
          throw error(pos, "unterminated quoted string");
        }
        i++;
        out.add(new Tok(T.STRING, b.substring(start, i), sb.toString(), space));
      } else if (c == '`') {
        int end = b.indexOf('`', i + 1);
        if (end < 0) {
          throw error(pos, "unterminated raw quoted string");
        }
        out.add(new Tok(T.STRING, b.substring(i, end + 1), b.substring(i + 1, end), space));
        i = end + 1;
      } else if (c == '\'') {
        int end = b.indexOf('\'', i + 1);
        if (end < 0) {
          throw error(pos, "unterminated character constant");
        }
        out.add(new Tok(T.NUMBER, b.substring(i, end + 1), (long) b.charAt(i + 1), space));
        i = end + 1;
      } else if (c == '(') {
        out.add(new Tok(T.LPAREN, "(", null, space));
        i++;
      } else if (c == ')') {
        out.add(new Tok(T.RPAREN, ")", null, space));
        i++;
      } else if (c == '|') {
        out.add(new Tok(T.PIPE, "|", null, space));
        i++;
      } else if (c == ',') {
        out.add(new Tok(T.COMMA, ",", null, space));
        i++;
      } else if (c == ':' && i + 1 < b.length() && b.charAt(i + 1) == '=') {
        out.add(new Tok(T.DECLARE, ":=", null, space));
        i += 2;
      } else if (c == '=') {
        out.add(new Tok(T.ASSIGN, "=", null, space));
        i++;
      } else if (c == '$' || c == '.' || Character.isLetter(c) || c == '_') {
        i++;
        while (i < b.length() && (Character.isLetterOrDigit(b.charAt(i)) || b.charAt(i) == '_')) {
          i++;
        }
        String w = b.substring(start, i);
        T type = c == '$' ? T.VAR : c == '.' ? (w.equals(".") ? T.DOT : T.FIELD) : T.IDENT;
        if (type == T.DOT && i < b.length() && Character.isDigit(b.charAt(i))) {
          i = start;
          i = lexNumber(b, i, out, space, pos);
        } else {
          out.add(new Tok(type, w, null, space));
        }
      } else if (Character.isDigit(c) || c == '-' || c == '+') {
        i = lexNumber(b, i, out, space, pos);
      } else {
        throw error(pos, "unexpected \"" + c + "\" in command");
      }
      space = false;
    }
    return out;
  }

  private int lexNumber(String b, int i, List<Tok> out, boolean space, Pos pos)
      throws TemplateException {
    int start = i;
    if (b.charAt(i) == '-' || b.charAt(i) == '+') {
      i++;
    }
    while (i < b.length() && (Character.isLetterOrDigit(b.charAt(i)) || b.charAt(i) == '.'
        || b.charAt(i) == '_' || ((b.charAt(i) == '-' || b.charAt(i) == '+')
        && (b.charAt(i - 1) == 'e' || b.charAt(i - 1) == 'E')))) {
      i++;
    }
    String w = b.substring(start, i).replace("_", "");
    Object v;
    try {
      if (w.matches("[+-]?0[xX][0-9a-fA-F]+")) {
        v = Long.parseLong(w.replaceFirst("0[xX]", ""), 16);
      } else if (w.matches("[+-]?[0-9]+")) {
        v = Long.parseLong(w);
      } else {
        v = Double.parseDouble(w);
      }
    } catch (NumberFormatException e) {
      throw error(pos, "bad number syntax: \"" + w + "\"");
    }
    out.add(new Tok(T.NUMBER, w, v, space));
    return i;
  }

  // ---- parsing ----

  /** Parses nodes into {@code out} until {{end}} or {{else ...}}; returns that keyword or null. */
  private String parseList(List<Node> out) throws TemplateException {
    while (itemIdx < items.size()) {
      Item it = items.get(itemIdx++);
      if (it.text != null) {
        out.add(new Node.Text(it.text));
        continue;
      }
      List<Tok> toks = it.toks;
      if (toks.isEmpty()) {
        throw error(it.pos, "missing value for command");
      }
      Tok first = toks.get(0);
      if (first.type == T.IDENT) {
        switch (first.text) {
          case "end":
            if (toks.size() > 1) {
              throw error(it.pos, "unexpected " + toks.get(1).text + " in end");
            }
            return "end";
          case "else":
            return "else";
          case "if":
          case "range":
          case "with":
            out.add(parseControl(first.text, toks.subList(1, toks.size()), it.pos));
            continue;
          case "define":
          case "template":
          case "block":
          case "break":
          case "continue":
            throw error(it.pos, "{{" + first.text + "}} is not supported in rule templates");
          default:
            break;
        }
      }
      out.add(new Action(parsePipe(toks, it.pos, true), it.pos));
    }
    return null;
  }

  private void descend(Pos pos) throws TemplateException {
    if (++depth > MAX_DEPTH) {
      throw error(pos, "nesting exceeds the limit of " + MAX_DEPTH + " levels");
    }
  }

  private Control parseControl(String kw, List<Tok> toks, Pos pos) throws TemplateException {
    scopes.push(new ArrayList<>());
    descend(pos);
    try {
      Pipe pipe = parsePipe(toks, pos, true);
      if (pipe.cmds().isEmpty()) {
        throw error(pos, "missing value for " + kw);
      }
      List<Node> body = new ArrayList<>();
      String end = parseList(body);
      if (end == null) {
        throw error(pos, "unexpected EOF");
      }
      List<Node> elseBody = null;
      if (end.equals("else")) {
        Item elseItem = items.get(itemIdx - 1);
        List<Tok> rest = elseItem.toks.subList(1, elseItem.toks.size());
        elseBody = new ArrayList<>();
        if (!rest.isEmpty()) {
          Tok k = rest.get(0);
          if (k.type != T.IDENT || !(k.text.equals("if") || k.text.equals("with"))) {
            throw error(elseItem.pos, "unexpected " + k.text + " in else");
          }
          // "else if" chains share the outer {{end}}.
          elseBody.add(parseControl(k.text, rest.subList(1, rest.size()), elseItem.pos));
          return new Control(kw, pipe, body, elseBody, pos);
        }
        String end2 = parseList(elseBody);
        if (!"end".equals(end2)) {
          throw error(pos, end2 == null ? "unexpected EOF" : "expected end; found {{else}}");
        }
      }
      return new Control(kw, pipe, body, elseBody, pos);
    } finally {
      depth--;
      scopes.pop();
    }
  }

  private final class Cursor {
    final List<Tok> toks;
    int i;

    Cursor(List<Tok> toks) {
      this.toks = toks;
    }

    Tok peek() {
      return i < toks.size() ? toks.get(i) : null;
    }

    Tok next() {
      return toks.get(i++);
    }
  }

  private Pipe parsePipe(List<Tok> toks, Pos pos, boolean allowDecl) throws TemplateException {
    Cursor c = new Cursor(toks);
    Pipe p = parsePipe(c, pos, allowDecl, false);
    if (c.peek() != null) {
      throw error(pos, "unexpected \"" + c.peek().text + "\" in command");
    }
    return p;
  }

  private Pipe parsePipe(Cursor c, Pos pos, boolean allowDecl, boolean inParen)
      throws TemplateException {
    List<String> decl = new ArrayList<>();
    boolean assign = false;
    if (allowDecl) {
      int save = c.i;
      List<String> vars = new ArrayList<>();
      while (c.peek() != null && c.peek().type == T.VAR) {
        vars.add(c.next().text);
        if (c.peek() != null && c.peek().type == T.COMMA && vars.size() == 1) {
          c.next();
          continue;
        }
        break;
      }
      Tok op = c.peek();
      if (!vars.isEmpty() && op != null && (op.type == T.DECLARE || op.type == T.ASSIGN)) {
        c.next();
        assign = op.type == T.ASSIGN;
        decl = vars;
      } else {
        c.i = save;
      }
    }
    List<Cmd> cmds = new ArrayList<>();
    while (c.peek() != null) {
      Tok t = c.peek();
      if (t.type == T.RPAREN) {
        if (!inParen) {
          throw error(pos, "unexpected right paren");
        }
        break;
      }
      List<Arg> args = new ArrayList<>();
      while (c.peek() != null && c.peek().type != T.PIPE && c.peek().type != T.RPAREN) {
        args.add(parseArg(c, pos));
      }
      if (args.isEmpty()) {
        throw error(pos, "missing value for command");
      }
      cmds.add(new Cmd(args));
      if (c.peek() != null && c.peek().type == T.PIPE) {
        c.next();
        if (c.peek() == null || c.peek().type == T.RPAREN) {
          throw error(pos, "missing command after |");
        }
      }
    }
    for (String v : decl) {
      if (assign) {
        requireVar(v, pos);
      } else {
        scopes.peek().add(v);
      }
    }
    return new Pipe(decl, assign, cmds, pos);
  }

  private void requireVar(String v, Pos pos) throws TemplateException {
    for (List<String> s : scopes) {
      if (s.contains(v)) {
        return;
      }
    }
    throw error(pos, "undefined variable \"" + v + "\"");
  }

  private Arg parseArg(Cursor c, Pos pos) throws TemplateException {
    Tok t = c.next();
    switch (t.type) {
      case IDENT:
        switch (t.text) {
          case "true":
            return new Node.Literal(Boolean.TRUE);
          case "false":
            return new Node.Literal(Boolean.FALSE);
          case "nil":
            return new Node.Literal(null);
          default:
            if (!funcs.contains(t.text)) {
              throw error(pos, "function \"" + t.text + "\" not defined");
            }
            return new Node.Func(t.text);
        }
      case DOT:
        return new Node.Dot();
      case FIELD: {
        List<String> chain = new ArrayList<>();
        chain.add(t.text.substring(1));
        chain.addAll(chain(c));
        return new Node.Field(chain);
      }
      case VAR:
        requireVar(t.text, pos);
        return new Node.Var(t.text, chain(c));
      case STRING:
      case NUMBER:
        return new Node.Literal(t.value);
      case LPAREN: {
        descend(pos);
        Pipe p = parsePipe(c, pos, false, true);
        depth--;
        if (c.peek() == null || c.peek().type != T.RPAREN) {
          throw error(pos, "unclosed left paren");
        }
        c.next();
        return new Node.Sub(p, chain(c));
      }
      default:
        throw error(pos, "unexpected \"" + t.text + "\" in operand");
    }
  }

  private List<String> chain(Cursor c) {
    List<String> out = new ArrayList<>();
    while (c.peek() != null && c.peek().type == T.FIELD && !c.peek().spaceBefore) {
      out.add(c.next().text.substring(1));
    }
    return out;
  }

  static Set<String> setOf(String... s) {
    return new HashSet<>(List.of(s));
  }
}
