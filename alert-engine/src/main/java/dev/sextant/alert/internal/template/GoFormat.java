package dev.sextant.alert.internal.template;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Go's {@code fmt} formatting for the values templates handle, so that {@code {{ $value }}} and
 * {@code printf} render exactly as in Prometheus (e.g. {@code 1e+06}, {@code %!d(float64=1.5)}).
 */
final class GoFormat {
  private GoFormat() {}

  /** Go's {@code fmt.Sprint} of one value ({@code %v}). */
  static String print(Object v) {
    if (v == null) {
      return "<no value>";
    }
    if (v instanceof Double d) {
      return formatG(d, -1);
    }
    if (v instanceof Map<?, ?> m) {
      StringBuilder sb = new StringBuilder("map[");
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          sb.append(' ');
        }
        first = false;
        sb.append(print(e.getKey())).append(':').append(print(e.getValue()));
      }
      return sb.append(']').toString();
    }
    if (v instanceof List<?> l) {
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          sb.append(' ');
        }
        sb.append(print(l.get(i)));
      }
      return sb.append(']').toString();
    }
    return String.valueOf(v);
  }

  /** Go's type name, for {@code %!verb(type=value)} diagnostics. */
  static String typeName(Object v) {
    if (v == null) {
      return "<nil>";
    }
    if (v instanceof Double) {
      return "float64";
    }
    if (v instanceof Long || v instanceof Integer) {
      return "int";
    }
    if (v instanceof String) {
      return "string";
    }
    if (v instanceof Boolean) {
      return "bool";
    }
    if (v instanceof Map) {
      return "map[string]string";
    }
    if (v instanceof List) {
      return "[]interface {}";
    }
    return v.getClass().getSimpleName();
  }

  private static String special(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "+Inf" : "-Inf";
    }
    return null;
  }

  /** Decimal digits (no trailing zeros) and point position: value = 0.digits × 10^dp. */
  private record Digits(String digits, int dp) {
    static Digits of(BigDecimal abs) {
      if (abs.signum() == 0) {
        return new Digits("0", 1);
      }
      BigDecimal s = abs.stripTrailingZeros();
      String u = s.unscaledValue().toString();
      return new Digits(u, u.length() - s.scale());
    }
  }

  private static Digits shortest(double abs) {
    return Digits.of(new BigDecimal(Double.toString(abs)));
  }

  /** Go {@code %g} with precision {@code prec} (-1: shortest, as {@code %v}). */
  static String formatG(double d, int prec) {
    String sp = special(d);
    if (sp != null) {
      return sp;
    }
    boolean neg = d < 0 || (d == 0 && 1 / d < 0);
    double abs = Math.abs(d);
    Digits digs;
    boolean shortest = prec < 0;
    if (shortest) {
      digs = shortest(abs);
      prec = digs.digits.length();
    } else {
      if (prec == 0) {
        prec = 1;
      }
      digs = abs == 0 ? new Digits("0", 1)
          : Digits.of(new BigDecimal(abs).round(new MathContext(prec, RoundingMode.HALF_EVEN)));
    }
    int nd = digs.digits.length();
    int eprec = prec;
    if (eprec > nd && nd >= digs.dp) {
      eprec = nd;
    }
    if (shortest) {
      eprec = 6;
    }
    int exp = digs.dp - 1;
    if (abs == 0) {
      exp = 0;
    }
    String out;
    if (exp < -4 || exp >= eprec) {
      int p = Math.min(prec, nd);
      out = fmtE(digs, p - 1, abs == 0 ? 0 : exp);
    } else {
      int p = prec > digs.dp ? nd : prec;
      out = fmtF(digs, Math.max(p - digs.dp, 0));
    }
    return neg ? "-" + out : out;
  }

  private static String fmtE(Digits digs, int prec, int exp) {
    StringBuilder sb = new StringBuilder();
    String ds = digs.digits;
    sb.append(ds.charAt(0));
    if (prec > 0) {
      sb.append('.');
      for (int i = 1; i <= prec; i++) {
        sb.append(i < ds.length() ? ds.charAt(i) : '0');
      }
    }
    sb.append('e').append(exp < 0 ? '-' : '+');
    int ae = Math.abs(exp);
    if (ae < 10) {
      sb.append('0');
    }
    return sb.append(ae).toString();
  }

  private static String fmtF(Digits digs, int prec) {
    StringBuilder sb = new StringBuilder();
    String ds = digs.digits;
    if (digs.dp > 0) {
      for (int i = 0; i < digs.dp; i++) {
        sb.append(i < ds.length() ? ds.charAt(i) : '0');
      }
    } else {
      sb.append('0');
    }
    if (prec > 0) {
      sb.append('.');
      for (int i = 0; i < prec; i++) {
        int j = digs.dp + i;
        sb.append(j >= 0 && j < ds.length() ? ds.charAt(j) : '0');
      }
    }
    return sb.toString();
  }

  /** Go {@code %e} with precision (default 6). */
  static String formatE(double d, int prec) {
    String sp = special(d);
    if (sp != null) {
      return sp;
    }
    boolean neg = d < 0;
    double abs = Math.abs(d);
    if (abs == 0) {
      return (neg ? "-" : "") + fmtE(new Digits("0", 1), prec, 0);
    }
    Digits digs = Digits.of(new BigDecimal(abs).round(new MathContext(prec + 1, RoundingMode.HALF_EVEN)));
    return (neg ? "-" : "") + fmtE(digs, prec, digs.dp - 1);
  }

  /** Go {@code %f} with precision (default 6). */
  static String formatF(double d, int prec) {
    String sp = special(d);
    if (sp != null) {
      return sp;
    }
    boolean neg = d < 0 || (d == 0 && 1 / d < 0);
    BigDecimal r = new BigDecimal(Math.abs(d)).setScale(prec, RoundingMode.HALF_EVEN);
    return (neg ? "-" : "") + r.toPlainString();
  }

  /** Go's {@code fmt.Sprintf} for the verbs templates use: v s d f F e E g G q x X t c %. */
  /**
   * Largest width or precision {@code printf} accepts; more is an error, not an allocation
   * ({@code %1500000000s} once asked for 1.5 GB). Go's own bound is 1e6.
   */
  static final int MAX_WIDTH = 1024;

  /** The digits of a width or precision, refused past {@link #MAX_WIDTH}. */
  private static int widthNumber(String what, String format, int start, int end) {
    if (end - start > 4 || Integer.parseInt(format.substring(start, end)) > MAX_WIDTH) {
      throw new IllegalArgumentException("printf: " + what + " " + format.substring(start,
          Math.min(end, start + 20)) + " exceeds the limit of " + MAX_WIDTH);
    }
    return Integer.parseInt(format.substring(start, end));
  }

  private static int widthArg(String what, Object w) {
    int v = w instanceof Number num ? num.intValue() : -1;
    if (w instanceof Number num && Math.abs(num.doubleValue()) > MAX_WIDTH) {
      throw new IllegalArgumentException("printf: " + what + " " + print(w)
          + " exceeds the limit of " + MAX_WIDTH);
    }
    return v;
  }

  static String sprintf(String format, List<Object> args) {
    StringBuilder out = new StringBuilder();
    int argi = 0;
    int i = 0;
    int n = format.length();
    while (i < n) {
      char c = format.charAt(i);
      if (c != '%') {
        out.append(c);
        i++;
        continue;
      }
      i++;
      if (i >= n) {
        out.append("%!(NOVERB)");
        break;
      }
      boolean minus = false;
      boolean plus = false;
      boolean zero = false;
      boolean space = false;
      boolean sharp = false;
      for (; i < n; i++) {
        char f = format.charAt(i);
        if (f == '-') {
          minus = true;
        } else if (f == '+') {
          plus = true;
        } else if (f == '0') {
          zero = true;
        } else if (f == ' ') {
          space = true;
        } else if (f == '#') {
          sharp = true;
        } else {
          break;
        }
      }
      int width = -1;
      if (i < n && format.charAt(i) == '*') {
        i++;
        Object w = argi < args.size() ? args.get(argi++) : null;
        width = widthArg("width", w);
      } else {
        int start = i;
        while (i < n && Character.isDigit(format.charAt(i))) {
          i++;
        }
        if (i > start) {
          width = widthNumber("width", format, start, i);
        }
      }
      int prec = -1;
      if (i < n && format.charAt(i) == '.') {
        i++;
        int start = i;
        while (i < n && Character.isDigit(format.charAt(i))) {
          i++;
        }
        prec = i > start ? widthNumber("precision", format, start, i) : 0;
      }
      if (i >= n) {
        out.append("%!(NOVERB)");
        break;
      }
      char verb = format.charAt(i++);
      if (verb == '%') {
        out.append('%');
        continue;
      }
      if (argi >= args.size()) {
        out.append("%!").append(verb).append("(MISSING)");
        continue;
      }
      Object arg = args.get(argi++);
      String s = formatOne(verb, arg, prec, plus, space, sharp);
      out.append(pad(s, width, minus, zero && !minus && !(arg instanceof String)));
    }
    if (argi < args.size()) {
      out.append("%!(EXTRA ");
      for (int k = argi; k < args.size(); k++) {
        if (k > argi) {
          out.append(", ");
        }
        out.append(typeName(args.get(k))).append('=').append(print(args.get(k)));
      }
      out.append(')');
    }
    return out.toString();
  }

  private static String bad(char verb, Object arg) {
    return "%!" + verb + "(" + typeName(arg) + "=" + print(arg) + ")";
  }

  private static String formatOne(char verb, Object arg, int prec, boolean plus, boolean space,
      boolean sharp) {
    switch (verb) {
      case 'v':
        if (arg instanceof Double d) {
          return sign(formatG(d, prec), plus, space);
        }
        return print(arg);
      case 's':
        if (arg instanceof Double || arg instanceof Long || arg instanceof Boolean) {
          return bad(verb, arg);
        }
        String s = print(arg);
        return prec >= 0 && prec < s.length() ? s.substring(0, prec) : s;
      case 'q':
        if (arg instanceof String str) {
          return sharp && !str.contains("`") ? "`" + str + "`" : quote(str);
        }
        return bad(verb, arg);
      case 't':
        return arg instanceof Boolean ? arg.toString() : bad(verb, arg);
      case 'd':
        if (arg instanceof Long l) {
          return sign(Long.toString(l), plus, space);
        }
        return bad(verb, arg);
      case 'c':
        if (arg instanceof Long l) {
          return new String(Character.toChars(l.intValue()));
        }
        return bad(verb, arg);
      case 'x':
      case 'X': {
        String h;
        if (arg instanceof Long l) {
          h = Long.toHexString(l);
        } else if (arg instanceof String str) {
          StringBuilder sb = new StringBuilder();
          for (byte b : str.getBytes(StandardCharsets.UTF_8)) {
            sb.append(String.format("%02x", b & 0xff));
          }
          h = sb.toString();
        } else {
          return bad(verb, arg);
        }
        return verb == 'X' ? h.toUpperCase(Locale.ROOT) : h;
      }
      case 'f':
      case 'F':
      case 'e':
      case 'E':
      case 'g':
      case 'G': {
        if (!(arg instanceof Double d)) {
          return bad(verb, arg);
        }
        String r = switch (verb) {
          case 'f', 'F' -> formatF(d, prec < 0 ? 6 : prec);
          case 'e' -> formatE(d, prec < 0 ? 6 : prec);
          case 'E' -> formatE(d, prec < 0 ? 6 : prec).toUpperCase(Locale.ROOT);
          case 'G' -> formatG(d, prec).toUpperCase(Locale.ROOT);
          default -> formatG(d, prec);
        };
        return sign(r, plus, space);
      }
      default:
        return "%!" + verb + "(" + typeName(arg) + "=" + print(arg) + ")";
    }
  }

  private static String sign(String s, boolean plus, boolean space) {
    if (s.startsWith("-") || s.startsWith("+")) {
      return s;
    }
    return plus ? "+" + s : space ? " " + s : s;
  }

  private static String pad(String s, int width, boolean left, boolean zero) {
    int len = s.codePointCount(0, s.length());
    if (width <= len) {
      return s;
    }
    String fill = (zero ? "0" : " ").repeat(width - len);
    if (left) {
      return s + fill;
    }
    if (zero && (s.startsWith("-") || s.startsWith("+"))) {
      return s.charAt(0) + fill + s.substring(1);
    }
    return fill + s;
  }

  /** Go's {@code strconv.Quote}. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\x%02x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
