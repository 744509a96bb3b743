package dev.sextant.alert.internal.template;

import dev.sextant.alert.query.Sample;
import dev.sextant.alert.internal.template.Executor.ExecException;
import dev.sextant.query.Durations;
import dev.sextant.storage.metrics.InvalidRegexException;
import dev.sextant.storage.metrics.UserRegex;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * The function table: Go's builtins ({@code and or not eq ne lt le gt ge len index print printf
 * println}) and Prometheus's template functions. Signatures are checked at call time, as in Go.
 */
final class Funcs {
  @FunctionalInterface
  interface Fn {
    Object call(Executor ex, List<Object> a) throws Exception;
  }

  /** An unanchored RE2 expression, as Go's regexp.MatchString / ReplaceAllString take it. */
  private static UserRegex regex(String fn, String pattern) {
    try {
      return UserRegex.unanchored(pattern);
    } catch (InvalidRegexException e) {
      throw new ExecException("error calling " + fn + ": " + e.getMessage());
    }
  }

  private static final Map<String, Fn> TABLE = new TreeMap<>();
  private static final String[] SI_UP = {"k", "M", "G", "T", "P", "E", "Z", "Y"};
  private static final String[] SI_DOWN = {"m", "u", "n", "p", "f", "a", "z", "y"};

  static {
    // and/or are evaluated lazily by the executor; listed so that the parser knows them.
    TABLE.put("and", (ex, a) -> null);
    TABLE.put("or", (ex, a) -> null);
    TABLE.put("not", (ex, a) -> !Executor.truth(one("not", a)));
    TABLE.put("eq", Funcs::eq);
    TABLE.put("ne", (ex, a) -> !(Boolean) eq(ex, arity("ne", a, 2)));
    TABLE.put("lt", (ex, a) -> cmp("lt", a, c -> c < 0));
    TABLE.put("le", (ex, a) -> cmp("le", a, c -> c <= 0));
    TABLE.put("gt", (ex, a) -> cmp("gt", a, c -> c > 0));
    TABLE.put("ge", (ex, a) -> cmp("ge", a, c -> c >= 0));
    TABLE.put("len", (ex, a) -> len(one("len", a)));
    TABLE.put("index", Funcs::index);
    TABLE.put("print", (ex, a) -> sprint(a));
    TABLE.put("println", (ex, a) -> String.join(" ", a.stream().map(GoFormat::print).toList()) + "\n");
    TABLE.put("printf", (ex, a) -> {
      if (a.isEmpty() || !(a.get(0) instanceof String f)) {
        throw new IllegalArgumentException("printf: first argument must be a format string");
      }
      return GoFormat.sprintf(f, a.subList(1, a.size()));
    });
    TABLE.put("urlquery", (ex, a) -> URLEncoder.encode(sprint(a), StandardCharsets.UTF_8));
    TABLE.put("html", (ex, a) -> sprint(a).replace("&", "&amp;").replace("<", "&lt;")
        .replace(">", "&gt;").replace("\"", "&#34;").replace("'", "&#39;"));
    TABLE.put("js", (ex, a) -> sprint(a).replace("\\", "\\\\").replace("'", "\\'")
        .replace("\"", "\\\"").replace("<", "\\u003C").replace(">", "\\u003E"));

    TABLE.put("humanize", (ex, a) -> humanize(toFloat(one("humanize", a))));
    TABLE.put("humanize1024", (ex, a) -> humanize1024(toFloat(one("humanize1024", a))));
    TABLE.put("humanizeDuration", (ex, a) -> humanizeDuration(toFloat(one("humanizeDuration", a))));
    TABLE.put("humanizePercentage",
        (ex, a) -> GoFormat.sprintf("%.4g%%", List.of(toFloat(one("humanizePercentage", a)) * 100)));
    TABLE.put("humanizeTimestamp", (ex, a) -> humanizeTimestamp(toFloat(one("humanizeTimestamp", a))));
    TABLE.put("toTime", (ex, a) -> humanizeTimestamp(toFloat(one("toTime", a))));
    TABLE.put("title", (ex, a) -> title(str(one("title", a))));
    TABLE.put("toUpper", (ex, a) -> str(one("toUpper", a)).toUpperCase(Locale.ROOT));
    TABLE.put("toLower", (ex, a) -> str(one("toLower", a)).toLowerCase(Locale.ROOT));
    TABLE.put("safeHtml", (ex, a) -> str(one("safeHtml", a)));
    // Go's regexp (RE2) as in Prometheus's templates: linear-time, whatever the pattern.
    TABLE.put("match", (ex, a) -> {
      arity("match", a, 2);
      return regex("match", str(a.get(0))).matches(str(a.get(1)));
    });
    TABLE.put("reReplaceAll", (ex, a) -> {
      arity("reReplaceAll", a, 3);
      return regex("reReplaceAll", str(a.get(0))).replaceAll(str(a.get(2)), str(a.get(1)));
    });
    TABLE.put("stripPort", (ex, a) -> stripPort(str(one("stripPort", a))));
    TABLE.put("stripDomain", (ex, a) -> stripDomain(str(one("stripDomain", a))));
    TABLE.put("parseDuration",
        (ex, a) -> Durations.parseMillis(str(one("parseDuration", a))) / 1000.0);
    TABLE.put("args", (ex, a) -> {
      Map<String, Object> m = new LinkedHashMap<>();
      for (int i = 0; i < a.size(); i++) {
        m.put("arg" + i, a.get(i));
      }
      return m;
    });
    TABLE.put("externalURL", (ex, a) -> arity("externalURL", a, 0) == null ? null : ex.ctx.externalUrl());
    TABLE.put("pathPrefix", (ex, a) -> {
      arity("pathPrefix", a, 0);
      String u = ex.ctx.externalUrl();
      return u.isEmpty() ? "" : URI.create(u).getPath();
    });
    TABLE.put("graphLink", (ex, a) -> link(ex, str(one("graphLink", a)), 0));
    TABLE.put("tableLink", (ex, a) -> link(ex, str(one("tableLink", a)), 1));
    TABLE.put("query", Funcs::query);
    TABLE.put("first", (ex, a) -> {
      if (!(one("first", a) instanceof List<?> l) || l.isEmpty()) {
        throw new IllegalArgumentException("first() called on vector with no elements");
      }
      return l.get(0);
    });
    TABLE.put("label", (ex, a) -> {
      arity("label", a, 2);
      return sampleLabels(a.get(1)).getOrDefault(str(a.get(0)), "");
    });
    TABLE.put("value", (ex, a) -> sampleField(one("value", a), "Value"));
    TABLE.put("strvalue", (ex, a) -> sampleLabels(one("strvalue", a)).getOrDefault("__value__", ""));
    TABLE.put("sortByLabel", (ex, a) -> {
      arity("sortByLabel", a, 2);
      String l = str(a.get(0));
      List<Object> copy = new ArrayList<>((List<?>) a.get(1));
      copy.sort(Comparator.comparing(s -> sampleLabels(s).getOrDefault(l, "")));
      return copy;
    });
  }

  private Funcs() {}

  static Set<String> names() {
    return TABLE.keySet();
  }

  static Object call(String name, Executor ex, List<Object> args) throws Exception {
    Fn f = TABLE.get(name);
    if (f == null) {
      throw new ExecException("function \"" + name + "\" not defined");
    }
    return f.call(ex, args);
  }

  private static List<Object> arity(String name, List<Object> a, int n) {
    if (a.size() != n) {
      throw new ExecException("wrong number of args for " + name + ": want " + n + " got " + a.size());
    }
    return a;
  }

  private static Object one(String name, List<Object> a) {
    return arity(name, a, 1).get(0);
  }

  private static String str(Object o) {
    if (o instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException("wrong type for value; expected string; got " + GoFormat.typeName(o));
  }

  /** Prometheus's convertToFloat: numbers, and strings holding numbers. */
  static double toFloat(Object o) {
    if (o instanceof Double d) {
      return d;
    }
    if (o instanceof Long l) {
      return l;
    }
    if (o instanceof String s) {
      String t = s.strip().replace("_", "");
      switch (t.toLowerCase(Locale.ROOT)) {
        case "inf", "+inf", "infinity", "+infinity":
          return Double.POSITIVE_INFINITY;
        case "-inf", "-infinity":
          return Double.NEGATIVE_INFINITY;
        case "nan":
          return Double.NaN;
        default:
          break;
      }
      try {
        if (t.matches("[+-]?[0-9.eE+-]+")) {
          return Double.parseDouble(t);
        }
      } catch (NumberFormatException e) {
        // fall through to the Go-style error
      }
      throw new IllegalArgumentException("strconv.ParseFloat: parsing " + GoFormat.quote(s)
          + ": invalid syntax");
    }
    throw new IllegalArgumentException("can't convert " + GoFormat.typeName(o) + " to float");
  }

  static String humanize(double v) {
    if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFormat.formatG(v, 4);
    }
    String prefix = "";
    if (Math.abs(v) >= 1) {
      for (String p : SI_UP) {
        if (Math.abs(v) < 1000) {
          break;
        }
        prefix = p;
        v /= 1000;
      }
    } else {
      for (String p : SI_DOWN) {
        if (Math.abs(v) >= 1) {
          break;
        }
        prefix = p;
        v *= 1000;
      }
    }
    return GoFormat.formatG(v, 4) + prefix;
  }

  static String humanize1024(double v) {
    if (Math.abs(v) <= 1 || Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFormat.formatG(v, 4);
    }
    String prefix = "";
    for (String p : new String[] {"ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"}) {
      if (Math.abs(v) < 1024) {
        break;
      }
      prefix = p;
      v /= 1024;
    }
    return GoFormat.formatG(v, 4) + prefix;
  }

  static String humanizeDuration(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFormat.formatG(v, 4);
    }
    if (v == 0) {
      return GoFormat.formatG(v, 4) + "s";
    }
    if (Math.abs(v) >= 1) {
      String sign = v < 0 ? "-" : "";
      v = Math.abs(v);
      long d = (long) v;
      long seconds = d % 60;
      long minutes = (d / 60) % 60;
      long hours = (d / 3600) % 24;
      long days = d / 86400;
      if (days != 0) {
        return sign + days + "d " + hours + "h " + minutes + "m " + seconds + "s";
      }
      if (hours != 0) {
        return sign + hours + "h " + minutes + "m " + seconds + "s";
      }
      if (minutes != 0) {
        return sign + minutes + "m " + seconds + "s";
      }
      return sign + GoFormat.formatG(v, 4) + "s";
    }
    String prefix = "";
    for (String p : SI_DOWN) {
      if (Math.abs(v) >= 1) {
        break;
      }
      prefix = p;
      v *= 1000;
    }
    return GoFormat.formatG(v, 4) + prefix + "s";
  }

  /** Go's {@code time.Time.String()} in UTC, as Prometheus prints it. */
  static String humanizeTimestamp(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFormat.formatG(v, 4);
    }
    long sec = (long) Math.floor(v);
    long nanos = Math.round((v - sec) * 1e9);
    Instant t = Instant.ofEpochSecond(sec, nanos);
    String base = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC).format(t);
    String frac = "";
    if (t.getNano() != 0) {
      frac = String.format("%09d", t.getNano()).replaceAll("0+$", "");
      frac = "." + frac;
    }
    return base + frac + " +0000 UTC";
  }

  /** Go's {@code strings.Title}: upper-cases the first letter of each word. */
  static String title(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    boolean prevSep = true;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      sb.appendCodePoint(prevSep ? Character.toTitleCase(cp) : cp);
      prevSep = !(Character.isLetterOrDigit(cp) || cp == '_');
      i += Character.charCount(cp);
    }
    return sb.toString();
  }

  static String stripPort(String hostPort) {
    if (hostPort.startsWith("[")) {
      int end = hostPort.indexOf(']');
      if (end > 0 && hostPort.startsWith(":", end + 1)) {
        return hostPort.substring(1, end);
      }
      return hostPort;
    }
    int c = hostPort.indexOf(':');
    if (c < 0 || c != hostPort.lastIndexOf(':')) {
      return hostPort;
    }
    return hostPort.substring(0, c);
  }

  static String stripDomain(String hostPort) {
    String host = stripPort(hostPort);
    String port = host.length() < hostPort.length() ? hostPort.substring(hostPort.lastIndexOf(':')) : "";
    if (host.matches("[0-9.]+") || host.contains(":")) {
      return hostPort;
    }
    int dot = host.indexOf('.');
    return (dot < 0 ? host : host.substring(0, dot)) + port;
  }

  private static String link(Executor ex, String expr, int tab) {
    String base = ex.ctx.externalUrl().isEmpty() ? "" : URI.create(ex.ctx.externalUrl()).getPath();
    return base + "/graph?g0.expr=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)
        + "&g0.tab=" + tab;
  }

  private static Object query(Executor ex, List<Object> a) throws Exception {
    String q = str(one("query", a));
    if (ex.ctx.query() == null) {
      throw new IllegalArgumentException("query is not available here");
    }
    List<Object> out = new ArrayList<>();
    for (Sample s : ex.ctx.query().query(q, ex.ctx.time())) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("Labels", s.labels().toMap());
      f.put("Value", s.value());
      out.add(new GoStruct("*template.sample", f));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> sampleLabels(Object s) {
    Object l = sampleField(s, "Labels");
    return (Map<String, String>) l;
  }

  private static Object sampleField(Object s, String f) {
    if (s instanceof GoStruct g && g.fields().containsKey(f)) {
      return g.fields().get(f);
    }
    throw new IllegalArgumentException("wrong type for value; expected *template.sample; got "
        + GoFormat.typeName(s));
  }

  private static String sprint(List<Object> a) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < a.size(); i++) {
      if (i > 0 && !(a.get(i) instanceof String) && !(a.get(i - 1) instanceof String)) {
        sb.append(' ');
      }
      sb.append(GoFormat.print(a.get(i)));
    }
    return sb.toString();
  }

  private static long len(Object o) {
    if (o instanceof String s) {
      return s.getBytes(StandardCharsets.UTF_8).length;
    }
    if (o instanceof Map<?, ?> m) {
      return m.size();
    }
    if (o instanceof List<?> l) {
      return l.size();
    }
    throw new IllegalArgumentException("len of type " + GoFormat.typeName(o));
  }

  private static Object index(Executor ex, List<Object> a) {
    if (a.isEmpty()) {
      throw new ExecException("wrong number of args for index: want at least 1 got 0");
    }
    Object v = a.get(0);
    for (Object k : a.subList(1, a.size())) {
      if (v instanceof Map<?, ?> m) {
        Object x = m.get(k instanceof String ? k : GoFormat.print(k));
        v = x == null ? "" : x;
      } else if (v instanceof List<?> l && k instanceof Long i) {
        if (i < 0 || i >= l.size()) {
          throw new IllegalArgumentException("index out of range: " + i);
        }
        v = l.get(i.intValue());
      } else {
        throw new IllegalArgumentException("can't index item of type " + GoFormat.typeName(v));
      }
    }
    return v;
  }

  private static Object eq(Executor ex, List<Object> a) {
    if (a.size() < 2) {
      throw new ExecException("wrong number of args for eq: want at least 2 got " + a.size());
    }
    Object x = a.get(0);
    for (Object y : a.subList(1, a.size())) {
      if (x == null || y == null) {
        if (x == y) {
          return true;
        }
        continue;
      }
      if (x instanceof Number nx && y instanceof Number ny) {
        if (nx.doubleValue() == ny.doubleValue()) {
          return true;
        }
        continue;
      }
      if (x.getClass() != y.getClass()) {
        throw new IllegalArgumentException("incompatible types for comparison");
      }
      if (x instanceof Map || x instanceof List) {
        throw new IllegalArgumentException("non-comparable type " + GoFormat.typeName(x));
      }
      if (x.equals(y)) {
        return true;
      }
    }
    return false;
  }

  private static boolean cmp(String name, List<Object> a, IntPredicate p) {
    Integer c = compare(name, a);
    return c != null && p.test(c);
  }

  /** null when a NaN is involved: every ordering comparison with NaN is false, as in Go. */
  private static Integer compare(String name, List<Object> a) {
    arity(name, a, 2);
    Object x = a.get(0);
    Object y = a.get(1);
    if (x instanceof Number nx && y instanceof Number ny) {
      double dx = nx.doubleValue();
      double dy = ny.doubleValue();
      if (Double.isNaN(dx) || Double.isNaN(dy)) {
        return null;
      }
      return dx == dy ? 0 : dx < dy ? -1 : 1;
    }
    if (x instanceof String sx && y instanceof String sy) {
      return sx.compareTo(sy);
    }
    if (x == null || y == null || x.getClass() != y.getClass()) {
      throw new IllegalArgumentException("incompatible types for comparison");
    }
    throw new IllegalArgumentException("invalid type for comparison");
  }
}
