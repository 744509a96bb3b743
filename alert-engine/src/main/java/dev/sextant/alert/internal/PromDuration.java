package dev.sextant.alert.internal;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus duration strings ({@code 1d2h30m}, {@code 90s}, {@code 500ms}, {@code 0}): units
 * y, w, d, h, m, s, ms, each at most once and in that order, as in {@code model.ParseDuration}.
 */
public final class PromDuration {
  private static final Pattern P = Pattern.compile(
      "(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?");
  private static final long[] UNIT_MS = {
      365L * 24 * 3600_000, 7L * 24 * 3600_000, 24L * 3600_000, 3600_000, 60_000, 1000, 1};

  private PromDuration() {}

  /**
   * Parses {@code s}.
   *
   * @throws IllegalArgumentException naming the string when it is not a valid duration
   */
  public static Duration parse(String s) {
    if (s == null || s.isEmpty()) {
      throw new IllegalArgumentException("empty duration string");
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = P.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
    }
    long ms = 0;
    for (int i = 0; i < UNIT_MS.length; i++) {
      String g = m.group(i + 1);
      if (g != null) {
        try {
          ms = Math.addExact(ms, Math.multiplyExact(Long.parseLong(g), UNIT_MS[i]));
        } catch (ArithmeticException | NumberFormatException e) {
          throw new IllegalArgumentException("duration out of range: \"" + s + "\"");
        }
      }
    }
    return Duration.ofMillis(ms);
  }

  /** Formats like Prometheus ({@code 1h30m}, {@code 0s}). */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    if (ms < 0) {
      sb.append('-');
      ms = -ms;
    }
    String[] units = {"y", "w", "d", "h", "m", "s", "ms"};
    for (int i = 0; i < units.length; i++) {
      long n = ms / UNIT_MS[i];
      // Prometheus prints weeks only when the duration is a whole number of weeks.
      if (i == 1 && ms % UNIT_MS[1] != 0) {
        continue;
      }
      if (n > 0) {
        sb.append(n).append(units[i]);
        ms -= n * UNIT_MS[i];
      }
    }
    return sb.toString();
  }
}
