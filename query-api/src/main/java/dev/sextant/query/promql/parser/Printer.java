package dev.sextant.query.promql.parser;

import dev.sextant.query.Durations;
import dev.sextant.query.promql.parser.Expr.Aggregate;
import dev.sextant.query.promql.parser.Expr.At;
import dev.sextant.query.promql.parser.Expr.Binary;
import dev.sextant.query.promql.parser.Expr.Call;
import dev.sextant.query.promql.parser.Expr.MatrixSelector;
import dev.sextant.query.promql.parser.Expr.NumberLiteral;
import dev.sextant.query.promql.parser.Expr.Paren;
import dev.sextant.query.promql.parser.Expr.StringLiteral;
import dev.sextant.query.promql.parser.Expr.Subquery;
import dev.sextant.query.promql.parser.Expr.Unary;
import dev.sextant.query.promql.parser.Expr.VectorMatching.Cardinality;
import dev.sextant.query.promql.parser.Expr.VectorMatching;
import dev.sextant.query.promql.parser.Expr.VectorSelector;
import dev.sextant.storage.metrics.LabelMatcher;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Prints an AST back to PromQL such that {@code Parser.parse(print(e)).equals(e)}. */
public final class Printer {
  private static final Pattern PLAIN_LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern PLAIN_METRIC = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  private Printer() {}

  public static String print(Expr e) {
    StringBuilder sb = new StringBuilder();
    print(e, sb);
    return sb.toString();
  }

  private static void print(Expr e, StringBuilder sb) {
    if (e instanceof NumberLiteral n) {
      sb.append(number(n.value()));
    } else if (e instanceof StringLiteral s) {
      sb.append(quote(s.value()));
    } else if (e instanceof VectorSelector vs) {
      selector(vs, sb);
      modifiers(vs.offsetMs(), vs.at(), sb);
    } else if (e instanceof MatrixSelector ms) {
      selector(ms.selector(), sb);
      sb.append('[').append(Durations.format(ms.rangeMs())).append(']');
      modifiers(ms.selector().offsetMs(), ms.selector().at(), sb);
    } else if (e instanceof Subquery sq) {
      print(sq.expr(), sb);
      sb.append('[').append(Durations.format(sq.rangeMs())).append(':');
      if (sq.stepMs() != 0) {
        sb.append(Durations.format(sq.stepMs()));
      }
      sb.append(']');
      modifiers(sq.offsetMs(), sq.at(), sb);
    } else if (e instanceof Paren p) {
      sb.append('(');
      print(p.expr(), sb);
      sb.append(')');
    } else if (e instanceof Unary u) {
      sb.append(u.negate() ? '-' : '+');
      print(u.expr(), sb);
    } else if (e instanceof Binary b) {
      binary(b, sb);
    } else if (e instanceof Aggregate a) {
      sb.append(a.op().keyword());
      if (a.without() || !a.grouping().isEmpty()) {
        sb.append(a.without() ? " without" : " by");
        labels(a.grouping(), sb);
        sb.append(' ');
      }
      sb.append('(');
      if (a.param() != null) {
        print(a.param(), sb);
        sb.append(", ");
      }
      print(a.expr(), sb);
      sb.append(')');
    } else if (e instanceof Call c) {
      sb.append(c.func().name()).append('(');
      for (int i = 0; i < c.args().size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        print(c.args().get(i), sb);
      }
      sb.append(')');
    }
  }

  private static void binary(Binary b, StringBuilder sb) {
    print(b.lhs(), sb);
    sb.append(' ').append(b.op().symbol());
    if (b.returnBool()) {
      sb.append(" bool");
    }
    VectorMatching m = b.matching();
    if (m != null) {
      boolean grouped = m.card() == Cardinality.MANY_TO_ONE || m.card() == Cardinality.ONE_TO_MANY;
      if (m.on() || !m.labels().isEmpty() || grouped) {
        sb.append(m.on() ? " on" : " ignoring");
        labels(m.labels(), sb);
      }
      if (grouped) {
        sb.append(m.card() == Cardinality.MANY_TO_ONE ? " group_left" : " group_right");
        labels(m.include(), sb);
      }
    }
    sb.append(' ');
    print(b.rhs(), sb);
  }

  private static void labels(List<String> labels, StringBuilder sb) {
    sb.append(" (");
    for (int i = 0; i < labels.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(labelName(labels.get(i)));
    }
    sb.append(')');
  }

  private static String labelName(String l) {
    return PLAIN_LABEL.matcher(l).matches() ? l : quote(l);
  }

  private static void selector(VectorSelector vs, StringBuilder sb) {
    boolean plainName = !vs.name().isEmpty() && PLAIN_METRIC.matcher(vs.name()).matches();
    if (plainName) {
      sb.append(vs.name());
    }
    if (!plainName || !vs.matchers().isEmpty()) {
      sb.append('{');
      boolean first = true;
      if (!vs.name().isEmpty() && !plainName) {
        sb.append(quote(vs.name()));
        first = false;
      }
      for (LabelMatcher m : vs.matchers()) {
        if (!first) {
          sb.append(", ");
        }
        first = false;
        sb.append(labelName(m.name())).append(m.type().op()).append(quote(m.value()));
      }
      sb.append('}');
    }
  }

  private static void modifiers(long offset, At at, StringBuilder sb) {
    if (at != null) {
      sb.append(" @ ");
      if (at.kind() == At.Kind.START) {
        sb.append("start()");
      } else if (at.kind() == At.Kind.END) {
        sb.append("end()");
      } else {
        sb.append(String.format(Locale.ROOT, "%.3f", at.timeMs() / 1000.0));
      }
    }
    if (offset != 0) {
      sb.append(" offset ").append(Durations.format(offset));
    }
  }

  /** Formats a float the way the parser reads it back exactly. */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15 && !(v == 0 && 1 / v < 0)) {
      return Long.toString((long) v);
    }
    return Double.toString(v).replace("E", "e");
  }

  /** A double-quoted string with Go-style escapes. */
  public static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        sb.append("\\\"");
      } else if (c == '\\') {
        sb.append("\\\\");
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\r') {
        sb.append("\\r");
      } else if (c == '\t') {
        sb.append("\\t");
      } else if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }
}
