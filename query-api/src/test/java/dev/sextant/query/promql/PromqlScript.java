package dev.sextant.query.promql;

import dev.sextant.query.Durations;
import dev.sextant.query.promql.parser.Parser;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.StaleMarker;
import dev.sextant.storage.metrics.TimeSeries;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses Prometheus promqltest scripts (see FORMAT.md next to the scripts). */
final class PromqlScript {
  /** Marker for an omitted point ({@code _}). */
  static final double OMITTED = Double.longBitsToDouble(0x7ff0000000000abcL);

  sealed interface Command permits Load, Clear, Eval {}

  /** Float series to load; {@code nativeSeries} were histogram series we don't load. */
  record Load(List<TimeSeries> series, List<Labels> nativeSeries) implements Command {}

  record Clear() implements Command {}

  /** An expected series: labels (null for a bare scalar) and its points (OMITTED allowed). */
  record Expected(Labels labels, double[] values, boolean histogram) {}

  record Expect(String type, String matchType, String text) {}

  record Eval(int line, String query, boolean range, long start, long end, long step,
      List<Expect> expects, List<Expected> expected, String expectString, long[] rangeVector)
      implements Command {}

  private static final Pattern INSTANT = Pattern.compile("^eval(_fail)? instant at (\\S+) (.+)$");
  private static final Pattern RANGE =
      Pattern.compile("^eval(_fail)? range from (\\S+) to (\\S+) step (\\S+) (.+)$");
  private static final Pattern EXPECT =
      Pattern.compile("^expect (fail|warn|info|no_warn|no_info|ordered)( (msg|regex))?(:\\s?(.*))?$");
  private static final Pattern RANGE_VECTOR =
      Pattern.compile("^expect range vector from (\\S+) to (\\S+) step (\\S+)$");
  private static final Pattern STRING = Pattern.compile("^expect string (.*)$");

  private PromqlScript() {}

  static long time(String s) {
    if (Durations.isValid(s)) {
      return Durations.parseMillis(s);
    }
    return Math.round(Double.parseDouble(s) * 1000);
  }

  static List<Command> parse(String text) {
    String[] lines = text.split("\n", -1);
    List<Command> out = new ArrayList<>();
    int i = 0;
    while (i < lines.length) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        i++;
        continue;
      }
      int start = i;
      List<String> block = new ArrayList<>();
      i++;
      while (i < lines.length) {
        String l = lines[i];
        String s = l.strip();
        if (s.isEmpty()) {
          break;
        }
        if (!Character.isWhitespace(l.charAt(0)) && (s.startsWith("eval") || s.startsWith("load")
            || s.startsWith("clear"))) {
          break;
        }
        if (!s.startsWith("#")) {
          block.add(s);
        }
        i++;
      }
      if (line.equals("clear")) {
        out.add(new Clear());
      } else if (line.startsWith("load")) {
        out.add(load(line, block));
      } else if (line.startsWith("eval")) {
        out.add(eval(start + 1, line, block));
      } else {
        throw new IllegalArgumentException("line " + (start + 1) + ": unknown command: " + line);
      }
    }
    return out;
  }

  private static Load load(String header, List<String> block) {
    String[] h = header.split("\\s+");
    boolean nhcb = h[0].equals("load_with_nhcb");
    long interval = time(h[1]);
    List<TimeSeries> series = new ArrayList<>();
    List<Labels> natives = new ArrayList<>();
    for (String line : block) {
      String[] sp = splitSeries(line);
      Labels labels = labels(sp[0]);
      if (sp[1].contains("{{")) {
        natives.add(labels);
        continue;
      }
      double[] vals = points(sp[1]);
      List<Long> ts = new ArrayList<>();
      List<Double> vs = new ArrayList<>();
      for (int k = 0; k < vals.length; k++) {
        if (Double.doubleToRawLongBits(vals[k]) != Double.doubleToRawLongBits(OMITTED)) {
          ts.add(k * interval);
          vs.add(vals[k]);
        }
      }
      series.add(new TimeSeries(labels, ts.stream().mapToLong(Long::longValue).toArray(),
          vs.stream().mapToDouble(Double::doubleValue).toArray()));
      String name = labels.metricName();
      if (nhcb && name.endsWith("_bucket")) {
        TreeMap<String, String> m = labels.toMap();
        m.remove("le");
        m.put(Labels.NAME, name.substring(0, name.length() - "_bucket".length()));
        natives.add(Labels.of(m));
      }
    }
    return new Load(series, natives);
  }

  /** Splits "metric{a="b c"} 1 2 3" into selector and points. */
  static String[] splitSeries(String line) {
    int depth = 0;
    boolean quoted = false;
    for (int k = 0; k < line.length(); k++) {
      char c = line.charAt(k);
      if (quoted) {
        if (c == '\\') {
          k++;
        } else if (c == '"') {
          quoted = false;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == '{') {
        depth++;
      } else if (c == '}') {
        depth--;
      } else if (Character.isWhitespace(c) && depth == 0) {
        return new String[] {line.substring(0, k), line.substring(k).strip()};
      }
    }
    return new String[] {line, ""};
  }

  static Labels labels(String selector) {
    TreeMap<String, String> m = new TreeMap<>();
    if (selector.equals("{}")) {
      return Labels.EMPTY;
    }
    for (LabelMatcher lm : Parser.parseMetricSelector(selector)) {
      m.put(lm.name(), lm.value());
    }
    return Labels.of(m);
  }

  private static final Pattern REPEAT = Pattern.compile("^(.*?)x(\\d+)$");

  static double[] points(String spec) {
    List<Double> out = new ArrayList<>();
    if (spec.isEmpty()) {
      return new double[0];
    }
    for (String item : spec.split("\\s+")) {
      Matcher m = REPEAT.matcher(item);
      if (m.matches()) {
        String head = m.group(1);
        int n = Integer.parseInt(m.group(2));
        if (head.equals("_")) {
          for (int k = 0; k < n; k++) {
            out.add(OMITTED);
          }
          continue;
        }
        int split = -1;
        for (int k = 1; k < head.length(); k++) {
          char c = head.charAt(k);
          char p = head.charAt(k - 1);
          if ((c == '+' || c == '-') && p != 'e' && p != 'E') {
            split = k;
            break;
          }
        }
        double base = value(split < 0 ? head : head.substring(0, split));
        double inc = split < 0 ? 0 : value(head.substring(split));
        for (int k = 0; k <= n; k++) {
          out.add(base + k * inc);
        }
        continue;
      }
      out.add(item.equals("_") ? OMITTED : value(item));
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  static double value(String s) {
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "stale" -> StaleMarker.VALUE;
      case "inf", "+inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      case "nan", "+nan", "-nan" -> Double.NaN;
      default -> Double.parseDouble(s);
    };
  }

  private static Eval eval(int lineNo, String header, List<String> block) {
    Matcher mi = INSTANT.matcher(header);
    Matcher mr = RANGE.matcher(header);
    boolean range;
    String query;
    long start;
    long end;
    long step = 0;
    boolean fail;
    if (mi.matches()) {
      range = false;
      fail = mi.group(1) != null;
      start = end = time(mi.group(2));
      query = mi.group(3);
    } else if (mr.matches()) {
      range = true;
      fail = mr.group(1) != null;
      start = time(mr.group(2));
      end = time(mr.group(3));
      step = time(mr.group(4));
      query = mr.group(5);
    } else {
      throw new IllegalArgumentException("line " + lineNo + ": bad eval: " + header);
    }
    List<Expect> expects = new ArrayList<>();
    if (fail) {
      expects.add(new Expect("fail", null, null));
    }
    List<Expected> expected = new ArrayList<>();
    String expectString = null;
    long[] rangeVector = null;
    for (String l : block) {
      Matcher rv = RANGE_VECTOR.matcher(l);
      Matcher st = STRING.matcher(l);
      Matcher ex = EXPECT.matcher(l);
      if (rv.matches()) {
        rangeVector = new long[] {time(rv.group(1)), time(rv.group(2)), time(rv.group(3))};
      } else if (st.matches()) {
        String s = st.group(1).strip();
        expectString = s.substring(1, s.length() - 1);
      } else if (ex.matches()) {
        expects.add(new Expect(ex.group(1), ex.group(3), ex.group(5)));
      } else if (l.startsWith("expected_fail_message") || l.startsWith("expected_fail_regexp")) {
        String[] kv = l.split(" ", 2);
        expects.add(new Expect("fail", kv[0].endsWith("message") ? "msg" : "regex", kv[1]));
      } else {
        String[] sp = splitSeries(l);
        if (sp[1].isEmpty() && !sp[0].startsWith("{") && !Character.isLetter(sp[0].charAt(0))
            || isNumber(sp[0])) {
          expected.add(new Expected(null, new double[] {value(sp[0])}, false));
        } else {
          boolean hist = sp[1].contains("{{");
          expected.add(new Expected(labels(sp[0]), hist ? new double[0] : points(sp[1]), hist));
        }
      }
    }
    return new Eval(lineNo, query, range, start, end, step, expects, expected, expectString,
        rangeVector);
  }

  private static boolean isNumber(String s) {
    try {
      value(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
