package dev.sextant.query;

import java.time.Duration;

/**
 * The one parser and printer of durations, with Prometheus's rules ({@code model.ParseDuration}
 * and {@code model.Duration.String}): config values, command-line flags, PromQL ranges, rule
 * files, template {@code parseDuration}, UI ranges and silences all read durations here.
 *
 * <ul>
 *   <li>Units {@code y w d h m s ms} (a year is 365 days, a week 7), each at most once and in
 *       that decreasing order, each after a non-negative integer: {@code 1h30m}, {@code 500ms},
 *       {@code 2d}, {@code 1w}.</li>
 *   <li>{@code 0} alone is zero; any other number needs a unit ({@code 15} is refused).</li>
 *   <li>No sign, no fraction, no spaces, no upper case, no {@code us}/{@code ns}: {@code -5m},
 *       {@code 1.5h}, {@code " 5m"}, {@code 5M} and {@code 30s1m} are refused.</li>
 *   <li>A value whose milliseconds overflow a long is refused ("out of range"), never wrapped.</li>
 * </ul>
 *
 * <p>Float seconds ({@code step=1.5}) are not durations here: the Prometheus HTTP API accepts
 * them besides durations, see {@code TimeParams.durationMillis}.
 */
public final class Durations {
  private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
  private static final long[] MS = {365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000,
      60_000, 1000, 1};
  private static final long INVALID = -1;
  private static final long OVERFLOW = -2;
  /** Longest value echoed in an error; a longer one is cut and ends in "...". */
  private static final int ECHO = 64;

  private Durations() {}

  /**
   * Parses {@code text} as Prometheus's {@code model.ParseDuration} does; milliseconds, >= 0.
   *
   * @throws IllegalArgumentException {@code empty duration string},
   *     {@code not a valid duration string: "x"} or {@code duration out of range: "x"}
   */
  public static long parseMillis(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("empty duration string");
    }
    long ms = millis(text);
    if (ms == OVERFLOW) {
      throw new IllegalArgumentException("duration out of range: " + quote(text));
    }
    if (ms == INVALID) {
      throw new IllegalArgumentException(
          "not a valid duration string: " + quote(text));
    }
    return ms;
  }

  /**
   * As {@link #parseMillis}, as a {@link Duration}.
   *
   * @throws IllegalArgumentException as {@link #parseMillis}
   */
  public static Duration parse(String text) {
    return Duration.ofMillis(parseMillis(text));
  }

  /**
   * Parses a setting's value (config key or flag {@code field}) by the same rules.
   *
   * @throws IllegalArgumentException naming {@code field}, the value and the expected form:
   *     {@code field: '1x' (expected: a duration like 15s, 1m30s or 500ms)}
   */
  public static Duration parse(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + ": missing (expected: a duration like 15s)");
    }
    long ms = millis(value);
    if (ms == OVERFLOW) {
      throw new IllegalArgumentException(field + ": '" + cut(value)
          + "' (expected: a duration below 292 million years)");
    }
    if (ms == INVALID) {
      throw new IllegalArgumentException(field + ": '" + cut(value)
          + "' (expected: a duration like 15s, 1m30s or 500ms)");
    }
    return Duration.ofMillis(ms);
  }

  private static String cut(String value) {
    return value.length() > ECHO ? value.substring(0, ECHO) + "..." : value;
  }

  /** Double-quoted for an error message, quotes and backslashes escaped, cut as above. */
  private static String quote(String value) {
    return "\"" + cut(value).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Whether {@code text} is a duration by these rules. */
  public static boolean isValid(String text) {
    return text != null && !text.isEmpty() && millis(text) >= 0;
  }

  /** Milliseconds, or {@link #INVALID} / {@link #OVERFLOW}. Work is linear in the length. */
  private static long millis(String s) {
    if (s.equals("0")) {
      return 0;
    }
    if (s.isEmpty()) {
      return INVALID;
    }
    long total = 0;
    boolean overflow = false;
    int i = 0;
    int lastUnit = -1;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      if (i == start) {
        return INVALID;
      }
      int unit = -1;
      if (s.startsWith("ms", i)) {
        unit = 6;
      } else if (i < s.length()) {
        for (int u = 0; u < 6; u++) {
          if (s.charAt(i) == UNITS[u].charAt(0)) {
            unit = u;
          }
        }
      }
      if (unit <= lastUnit) { // also unit < 0: no unit, or not one of ours
        return INVALID;
      }
      lastUnit = unit;
      String digits = s.substring(start, i);
      i += UNITS[unit].length();
      if (overflow) {
        continue; // the rest must still be well-formed: a malformed value is reported as such
      }
      try {
        total = Math.addExact(total, Math.multiplyExact(Long.parseLong(digits), MS[unit]));
      } catch (ArithmeticException | NumberFormatException e) {
        overflow = true; // only digits here, so NumberFormatException means too many of them
      }
    }
    return overflow ? OVERFLOW : total;
  }

  /**
   * Formats like Prometheus's {@code model.Duration.String}: {@code 1h30m}, {@code 0s},
   * {@code -5m}; years and weeks only when they divide the value exactly ({@code 90d}, not
   * {@code 12w6d}).
   */
  public static String format(long ms) {
    if (ms == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    if (ms < 0) {
      sb.append('-');
      ms = -ms;
    }
    for (int u = 0; u < MS.length; u++) {
      if (u <= 1 && ms % MS[u] != 0) {
        continue;
      }
      long n = ms / MS[u];
      if (n > 0) {
        sb.append(n).append(UNITS[u]);
        ms -= n * MS[u];
      }
    }
    return sb.toString();
  }

  /** As {@link #format(long)}, for a {@link Duration} (truncated to milliseconds). */
  public static String format(Duration d) {
    return format(d.toMillis());
  }
}
