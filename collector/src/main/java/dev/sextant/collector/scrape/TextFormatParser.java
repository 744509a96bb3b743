package dev.sextant.collector.scrape;

import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.MetricMetadata;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Parses the Prometheus text exposition format (0.0.4) and OpenMetrics 1.0 text: HELP/TYPE/UNIT
 * comments (kept as {@linkplain #metadata() metadata}), label escapes, {@code NaN}/{@code ±Inf}, optional timestamps (milliseconds in the
 * Prometheus format, seconds in OpenMetrics), OpenMetrics exemplars (ignored) and {@code # EOF}.
 * OpenMetrics {@code _created} series are dropped, as Prometheus does by default.
 */
public final class TextFormatParser {
  /** A line that is not valid exposition format; the message names the line number. */
  public static final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    ParseException(int line, String message) {
      super("line " + line + ": " + message);
    }
  }

  private final boolean openMetrics;
  private final Map<String, String> types = new LinkedHashMap<>();
  private final Map<String, String> helps = new LinkedHashMap<>();
  private final Map<String, String> units = new LinkedHashMap<>();

  TextFormatParser(boolean openMetrics) {
    this.openMetrics = openMetrics;
  }

  boolean openMetrics() {
    return openMetrics;
  }

  /**
   * Parses a whole exposition.
   *
   * @param openMetrics true for {@code application/openmetrics-text}
   */
  public static List<ScrapedSample> parse(String text, boolean openMetrics)
      throws ParseException {
    return new TextFormatParser(openMetrics).parseAll(text);
  }

  private List<ScrapedSample> parseAll(String text) throws ParseException {
    List<ScrapedSample> out = new ArrayList<>();
    int lineNo = 0;
    int pos = 0;
    while (pos < text.length()) {
      int end = text.indexOf('\n', pos);
      if (end < 0) {
        end = text.length();
      }
      String line = text.substring(pos, end);
      pos = end + 1;
      lineNo++;
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      if (line.isBlank()) {
        continue;
      }
      if (line.charAt(0) == '#') {
        if (comment(line)) {
          break; // # EOF
        }
        continue;
      }
      ScrapedSample s = sample(line, lineNo);
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  /** @return true at {@code # EOF} */
  boolean comment(String line) {
    String[] parts = line.split("[ \t]+", 4);
    if (parts.length >= 2 && parts[1].equals("EOF")) {
      return true;
    }
    if (parts.length >= 3) {
      String rest = parts.length >= 4 ? parts[3] : "";
      switch (parts[1]) {
        case "TYPE" -> types.put(parts[2], rest.trim());
        case "HELP" -> helps.put(parts[2], unescapeHelp(rest));
        case "UNIT" -> units.put(parts[2], rest.trim());
        default -> { } // any other comment
      }
    }
    return false;
  }

  /**
   * The metadata of the families whose TYPE, HELP or UNIT lines were read so far, in the order
   * they first appeared; a family without a TYPE line is {@code unknown}.
   */
  List<MetricMetadata> metadata() {
    Set<String> names = new LinkedHashSet<>(types.keySet());
    names.addAll(helps.keySet());
    names.addAll(units.keySet());
    List<MetricMetadata> out = new ArrayList<>(names.size());
    for (String name : names) {
      String type = types.get(name);
      out.add(new MetricMetadata(name, type == null ? MetricMetadata.Type.UNKNOWN
          : MetricMetadata.Type.parse(type), helps.getOrDefault(name, ""),
          units.getOrDefault(name, "")));
    }
    return out;
  }

  /** HELP text escapes: {@code \\}, {@code \n} (and OpenMetrics' {@code \"}). */
  private static String unescapeHelp(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char e = s.charAt(++i);
        sb.append(e == 'n' ? '\n' : e);
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** One sample line (no line terminator); null when it is dropped ({@code _created}). */
  ScrapedSample sample(String line, int lineNo) throws ParseException {
    int i = 0;
    int n = line.length();
    while (i < n && isNameChar(line.charAt(i), i == 0)) {
      i++;
    }
    if (i == 0) {
      throw new ParseException(lineNo, "expected a metric name, got '" + abbreviate(line) + "'");
    }
    String name = line.substring(0, i);
    TreeMap<String, String> labels = new TreeMap<>();
    if (i < n && line.charAt(i) == '{') {
      i = labels(line, i + 1, labels, lineNo);
    }
    labels.put(Labels.NAME, name);
    String rest = line.substring(i).trim();
    int exemplar = rest.indexOf(" # ");
    if (exemplar >= 0) {
      rest = rest.substring(0, exemplar).trim();
    }
    String[] fields = rest.split("[ \t]+");
    if (fields.length == 0 || fields[0].isEmpty() || fields.length > 2) {
      throw new ParseException(lineNo, "expected a value and an optional timestamp after "
          + name + ", got '" + abbreviate(rest) + "'");
    }
    double value = parseValue(fields[0], lineNo);
    long ts = -1;
    if (fields.length == 2) {
      ts = parseTimestamp(fields[1], lineNo);
    }
    if (openMetrics && name.endsWith("_created") && isCreatedOf(name)) {
      return null;
    }
    return new ScrapedSample(Labels.of(labels), value, ts);
  }

  private boolean isCreatedOf(String name) {
    String family = name.substring(0, name.length() - "_created".length());
    String type = types.get(family);
    return type != null && (type.equals("counter") || type.equals("histogram")
        || type.equals("summary") || type.equals("gaugehistogram"));
  }

  private static int labels(String line, int i, Map<String, String> out, int lineNo)
      throws ParseException {
    int n = line.length();
    while (true) {
      while (i < n && line.charAt(i) == ' ') {
        i++;
      }
      if (i < n && line.charAt(i) == '}') {
        return i + 1;
      }
      int start = i;
      while (i < n && isNameChar(line.charAt(i), i == start) && line.charAt(i) != ':') {
        i++;
      }
      if (i == start) {
        throw new ParseException(lineNo, "expected a label name at column " + (i + 1));
      }
      String label = line.substring(start, i);
      while (i < n && line.charAt(i) == ' ') {
        i++;
      }
      if (i + 1 >= n || line.charAt(i) != '=' || line.charAt(i + 1) != '"') {
        throw new ParseException(lineNo, "expected =\"value\" after label " + label);
      }
      i += 2;
      StringBuilder v = new StringBuilder();
      while (true) {
        if (i >= n) {
          throw new ParseException(lineNo, "unterminated value of label " + label);
        }
        char c = line.charAt(i++);
        if (c == '"') {
          break;
        }
        if (c == '\\' && i < n) {
          char e = line.charAt(i++);
          v.append(e == 'n' ? '\n' : e);
        } else {
          v.append(c);
        }
      }
      if (out.put(label, v.toString()) != null) {
        throw new ParseException(lineNo, "duplicate label " + label);
      }
      while (i < n && line.charAt(i) == ' ') {
        i++;
      }
      if (i < n && line.charAt(i) == ',') {
        i++;
      } else if (i < n && line.charAt(i) == '}') {
        return i + 1;
      } else {
        throw new ParseException(lineNo, "expected , or } after label " + label);
      }
    }
  }

  static double parseValue(String s, int lineNo) throws ParseException {
    switch (s) {
      case "NaN":
        return Double.NaN;
      case "+Inf":
      case "Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      default:
        try {
          return Double.parseDouble(s);
        } catch (NumberFormatException e) {
          throw new ParseException(lineNo, "invalid sample value '" + abbreviate(s) + "'");
        }
    }
  }

  private long parseTimestamp(String s, int lineNo) throws ParseException {
    try {
      if (openMetrics) {
        return Math.round(Double.parseDouble(s) * 1000); // OpenMetrics: seconds
      }
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new ParseException(lineNo, "invalid timestamp '" + abbreviate(s) + "'");
    }
  }

  private static boolean isNameChar(char c, boolean first) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'
        || (!first && c >= '0' && c <= '9');
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "…" : s;
  }
}
