package dev.sextant.query;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Prometheus's rules for time and duration request parameters ({@code parseTime} and
 * {@code parseDuration} of its HTTP API), in bounded work: one shared parser for the
 * Prometheus-compatible API, the UI and the alert APIs.
 *
 * <ul>
 *   <li>A time is float unix seconds ({@code 1700000000}, {@code 1.7e9}, {@code 1700000000.123};
 *       the fraction is rounded to milliseconds) or RFC 3339 ({@code 2024-05-01T10:00:00.5Z}).
 *       NaN, infinities and times outside Prometheus's MinTime..MaxTime are refused.</li>
 *   <li>A duration is float seconds ({@code 30}, {@code 1.5}) or a Prometheus duration
 *       ({@code 1h30m}, {@code 500ms}; units y w d h m s ms, decreasing, each at most once).
 *       NaN and infinities are refused; a value whose milliseconds overflow a long is refused
 *       with Prometheus's "It overflows int64".</li>
 *   <li>A value longer than {@value #MAX_LENGTH} characters is refused before any parsing, and
 *       numbers are parsed as doubles after a shape check, never as {@code BigDecimal}: the
 *       work per value is bounded (an exponent like {@code 1e-500000000} costs nothing).</li>
 * </ul>
 *
 * <p>Errors are {@link IllegalArgumentException}s whose message is Prometheus's wording,
 * {@code cannot parse "x" to a valid timestamp}; callers prefix the parameter name.
 */
public final class TimeParams {
  /** Longest time or duration text accepted: RFC 3339 with nanoseconds needs 35. */
  public static final int MAX_LENGTH = 64;
  /** Prometheus's MinTime in milliseconds: the earliest time a parameter may name. */
  public static final long MIN_TIME_MS = -9_223_309_901_257_974L;
  /** Prometheus's MaxTime in milliseconds: the latest time a parameter may name. */
  public static final long MAX_TIME_MS = 9_223_309_901_257_974L;

  // Go's ParseFloat decimal syntax (no hex floats, no underscores, no Java 'd'/'f' suffixes).
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
  private static final Pattern SPECIAL =
      Pattern.compile("[+-]?(?:inf|infinity|nan)", Pattern.CASE_INSENSITIVE);

  private TimeParams() {}

  /**
   * Parses a time parameter as Prometheus's {@code parseTime} does; unix milliseconds.
   *
   * @throws IllegalArgumentException {@code cannot parse "v" to a valid timestamp}
   */
  public static long timeMillis(String value) {
    if (isNumber(value)) {
      double secs = number(value);
      if (secs >= MIN_TIME_MS / 1000.0 && secs <= MAX_TIME_MS / 1000.0) { // false for NaN
        long whole = (long) secs;
        return whole * 1000 + Math.round((secs - whole) * 1000);
      }
    } else if (value.length() <= MAX_LENGTH) {
      try {
        long ms = OffsetDateTime.parse(value).toInstant().toEpochMilli();
        if (ms >= MIN_TIME_MS && ms <= MAX_TIME_MS) {
          return ms;
        }
      } catch (DateTimeParseException | ArithmeticException e) {
        // reported below
      }
    }
    throw new IllegalArgumentException("cannot parse " + quote(value) + " to a valid timestamp");
  }

  /**
   * Parses a duration parameter as Prometheus's {@code parseDuration} does; milliseconds, which
   * may be zero or negative (float seconds may be negative; callers check their own bounds).
   *
   * @throws IllegalArgumentException {@code cannot parse "v" to a valid duration}
   */
  public static long durationMillis(String value) {
    if (value.length() <= MAX_LENGTH) {
      if (isNumber(value)) {
        double secs = number(value);
        if (Double.isNaN(secs)) {
          throw new IllegalArgumentException(
              "cannot parse " + quote(value) + " to a valid duration");
        }
        double ms = secs * 1000;
        if (ms >= 9.2e18 || ms <= -9.2e18) {
          throw new IllegalArgumentException(
              "cannot parse " + quote(value) + " to a valid duration. It overflows int64");
        }
        return Math.round(ms);
      }
      if (Durations.isValid(value)) {
        return Durations.parseMillis(value);
      }
    }
    throw new IllegalArgumentException("cannot parse " + quote(value) + " to a valid duration");
  }

  /**
   * The value in Go's float syntax, or NaN when it is not a number at all (use
   * {@link #isNumber} to tell that from a literal NaN). Huge exponents give 0 or ±Infinity.
   */
  static double number(String value) {
    if (value.length() > MAX_LENGTH) {
      return Double.NaN;
    }
    if (DECIMAL.matcher(value).matches()) {
      return Double.parseDouble(value);
    }
    if (SPECIAL.matcher(value).matches()) {
      String v = value.toLowerCase(Locale.ROOT);
      if (v.endsWith("nan")) {
        return Double.NaN;
      }
      return v.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    return Double.NaN;
  }

  /** Whether the value is a number in Go's float syntax, including Inf and NaN. */
  static boolean isNumber(String value) {
    return value.length() <= MAX_LENGTH
        && (DECIMAL.matcher(value).matches() || SPECIAL.matcher(value).matches());
  }

  /**
   * The value quoted for an error message, cut to {@value #MAX_LENGTH} characters so a huge
   * parameter is not echoed back whole.
   */
  public static String quote(String value) {
    return "\"" + cut(value).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** The value cut to {@value #MAX_LENGTH} characters and "..." when longer. */
  public static String cut(String value) {
    return value.length() > MAX_LENGTH ? value.substring(0, MAX_LENGTH) + "..." : value;
  }
}
