package dev.sextant.collector.internal;

import java.util.Map;

/**
 * OpenTelemetry → Prometheus naming, per the OpenTelemetry "Prometheus and OpenMetrics
 * compatibility" specification: invalid characters become {@code _}, the unit is appended as a
 * word ({@code s} → {@code _seconds}, {@code By/s} → {@code _bytes_per_second}, {@code 1} →
 * {@code _ratio} for gauges), counters end in {@code _total}.
 */
public final class PrometheusNames {
  private static final Map<String, String> UNITS = Map.ofEntries(
      Map.entry("d", "days"), Map.entry("h", "hours"), Map.entry("min", "minutes"),
      Map.entry("s", "seconds"), Map.entry("ms", "milliseconds"), Map.entry("us", "microseconds"),
      Map.entry("ns", "nanoseconds"), Map.entry("By", "bytes"), Map.entry("KiBy", "kibibytes"),
      Map.entry("MiBy", "mebibytes"), Map.entry("GiBy", "gibibytes"),
      Map.entry("TiBy", "tibibytes"), Map.entry("KBy", "kilobytes"), Map.entry("MBy", "megabytes"),
      Map.entry("GBy", "gigabytes"), Map.entry("TBy", "terabytes"), Map.entry("m", "meters"),
      Map.entry("V", "volts"), Map.entry("A", "amperes"), Map.entry("J", "joules"),
      Map.entry("W", "watts"), Map.entry("g", "grams"), Map.entry("Cel", "celsius"),
      Map.entry("Hz", "hertz"), Map.entry("%", "percent"));
  private static final Map<String, String> PER_UNITS = Map.of("s", "second", "m", "minute",
      "h", "hour", "d", "day", "w", "week", "mo", "month", "y", "year");

  private PrometheusNames() {}

  /** The Prometheus metric name for an OTLP metric. */
  public static String metricName(String name, String unit, boolean counter, boolean gauge) {
    StringBuilder sb = new StringBuilder(sanitize(name, true));
    String unitWords = unitWords(unit == null ? "" : unit, gauge);
    String base = sb.toString();
    if (!unitWords.isEmpty() && !base.endsWith("_" + unitWords) && !base.contains(
        "_" + unitWords + "_")) {
      sb.append('_').append(unitWords);
    }
    if (counter && !sb.toString().endsWith("_total")) {
      sb.append("_total");
    }
    return collapse(sb.toString());
  }

  /** A valid Prometheus label name: {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
  public static String labelName(String key) {
    String s = sanitize(key, false);
    // Leading "__" is reserved for Prometheus itself; user keys get "key_" instead.
    if (s.startsWith("__") && !key.startsWith("__")) {
      s = "key" + s;
    }
    return s;
  }

  static String unitWords(String unit, boolean gauge) {
    if (unit.isEmpty()) {
      return "";
    }
    if (unit.equals("1")) {
      return gauge ? "ratio" : "";
    }
    // Annotations in braces ({requests}) are dropped.
    String u = unit.replaceAll("\\{[^}]*}", "");
    if (u.isEmpty()) {
      return "";
    }
    String[] parts = u.split("/", 2);
    String main = UNITS.getOrDefault(parts[0], parts[0]);
    if (parts.length == 2 && !parts[1].isEmpty()) {
      String per = PER_UNITS.getOrDefault(parts[1], UNITS.getOrDefault(parts[1], parts[1]));
      main = (main.isEmpty() ? "" : main + "_") + "per_" + per;
    }
    return collapse(sanitize(main, false)).replaceAll("^_|_$", "");
  }

  private static String sanitize(String s, boolean allowColon) {
    if (s.isEmpty()) {
      return "_";
    }
    StringBuilder sb = new StringBuilder(s.length() + 1);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'
          || (allowColon && c == ':') || (i > 0 && c >= '0' && c <= '9');
      if (i == 0 && c >= '0' && c <= '9') {
        sb.append('_').append(c);
      } else {
        sb.append(ok ? c : '_');
      }
    }
    return sb.toString();
  }

  private static String collapse(String s) {
    return s.replaceAll("__+", "_");
  }
}
