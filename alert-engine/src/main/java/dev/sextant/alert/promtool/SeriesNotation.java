package dev.sextant.alert.promtool;

import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.StaleMarker;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The notations of {@code promtool test rules}: series {@code name{a="b", c="d"}} and values
 * {@code "1 2+3x4 _x2 stale 5-1x3 7x2"}, expanded to one point per interval.
 */
final class SeriesNotation {
  /** Missing sample ({@code _}): nothing is stored at that step. */
  public static final double MISSING = Double.longBitsToDouble(0x7ff0000000000dadL);

  private static final String NUM = "(?:[+-]?(?:Inf|inf|NaN|nan|0x[0-9a-fA-F]+|[0-9]*\\.?[0-9]+(?:[eE][+-]?[0-9]+)?))";
  private static final Pattern EXPAND = Pattern.compile(
      "(" + NUM + ")(?:([+-])(" + NUM.replace("[+-]?", "") + "))?x([0-9]+)");
  private static final Pattern LABEL = Pattern.compile(
      "\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*(,|$)");

  private SeriesNotation() {}

  public static boolean isMissing(double v) {
    return Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits(MISSING);
  }

  /**
   * Parses {@code name{label="value", ...}} (name or braces optional).
   *
   * @throws IllegalArgumentException naming the input when it is malformed
   */
  public static Labels parseSeries(String s) {
    String t = s.strip();
    TreeMap<String, String> m = new TreeMap<>();
    int brace = t.indexOf('{');
    String name = brace < 0 ? t : t.substring(0, brace).strip();
    if (!name.isEmpty()) {
      if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
        throw new IllegalArgumentException("invalid series " + quote(s) + ": bad metric name " + quote(name));
      }
      m.put(Labels.NAME, name);
    }
    if (brace >= 0) {
      if (!t.endsWith("}")) {
        throw new IllegalArgumentException("invalid series " + quote(s) + ": missing '}'");
      }
      String body = t.substring(brace + 1, t.length() - 1).strip();
      Matcher lm = LABEL.matcher(body);
      int pos = 0;
      while (pos < body.length()) {
        if (!lm.find(pos) || lm.start() != pos) {
          throw new IllegalArgumentException("invalid series " + quote(s) + ": bad label at "
              + quote(body.substring(pos)));
        }
        m.put(lm.group(1), lm.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
        pos = lm.end();
      }
    }
    return Labels.of(m);
  }

  /**
   * Expands a values string; {@link #MISSING} marks {@code _}, {@link StaleMarker#VALUE} marks
   * {@code stale}.
   *
   * @throws IllegalArgumentException naming the bad token
   */
  public static List<Double> expandValues(String s) {
    List<Double> out = new ArrayList<>();
    for (String tok : s.strip().split("\\s+")) {
      if (tok.isEmpty()) {
        continue;
      }
      if (tok.equals("_")) {
        out.add(MISSING);
      } else if (tok.equals("stale")) {
        out.add(StaleMarker.VALUE);
      } else if (tok.startsWith("_x")) {
        int n = count(tok, tok.substring(2));
        for (int i = 0; i < n; i++) {
          out.add(MISSING);
        }
      } else {
        Matcher m = EXPAND.matcher(tok);
        if (m.matches()) {
          double a = number(m.group(1), tok);
          double b = m.group(3) == null ? 0 : number(m.group(3), tok) * (m.group(2).equals("-") ? -1 : 1);
          int n = count(tok, m.group(4));
          for (int i = 0; i <= n; i++) {
            out.add(a + b * i);
          }
        } else {
          out.add(number(tok, tok));
        }
      }
    }
    return out;
  }

  private static int count(String tok, String n) {
    try {
      return Integer.parseInt(n);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid value " + quote(tok) + ": bad repeat count");
    }
  }

  private static double number(String s, String tok) {
    switch (s) {
      case "Inf", "+Inf", "inf", "+inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf", "-inf":
        return Double.NEGATIVE_INFINITY;
      case "NaN", "nan":
        return Double.NaN;
      default:
        break;
    }
    try {
      if (s.matches("[+-]?0x[0-9a-fA-F]+")) {
        long v = Long.parseLong(s.replaceFirst("0x", ""), 16);
        return v;
      }
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid value " + quote(tok) + ": not a number");
    }
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }
}
