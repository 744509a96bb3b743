package dev.sextant.server.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prometheus-style durations: {@code 1h30m}, {@code 15s}, {@code 500ms}, {@code 2d}, {@code 1w}. */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w|y)");

  private Durations() {}

  /**
   * Parses {@code value}; {@code field} names the setting in the error message.
   *
   * @throws IllegalArgumentException naming the field and the expected form
   */
  public static Duration parse(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + ": missing (expected: a duration like 15s)");
    }
    Matcher m = PART.matcher(value.trim());
    long millis = 0;
    int end = 0;
    while (m.lookingAt()) {
      long unit = switch (m.group(2)) {
        case "ms" -> 1;
        case "s" -> 1000;
        case "m" -> 60_000;
        case "h" -> 3_600_000;
        case "d" -> 86_400_000;
        case "w" -> 7 * 86_400_000L;
        default -> 365 * 86_400_000L;
      };
      try { // an overflow once wrapped around to a negative or tiny duration
        millis = Math.addExact(millis, Math.multiplyExact(Long.parseLong(m.group(1)), unit));
      } catch (ArithmeticException | NumberFormatException e) {
        throw new IllegalArgumentException(field + ": '" + value
            + "' (expected: a duration below 292 million years)");
      }
      end = m.end();
      m.region(end, value.trim().length());
    }
    if (end == 0 || end != value.trim().length()) {
      throw new IllegalArgumentException(field + ": '" + value
          + "' (expected: a duration like 15s, 1m30s or 500ms)");
    }
    return Duration.ofMillis(millis);
  }
}
