package dev.sextant.query.promql.parser;

/** Parses and prints Prometheus durations ({@code 1h30m}, {@code 500ms}) in milliseconds. */
public final class Durations {
  private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
  private static final long[] MS = {365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000,
      60_000, 1000, 1};

  private Durations() {}

  /**
   * Parses a duration such as {@code 1h30m}; units must be in decreasing order and appear at most
   * once. Returns -1 if the text is not a duration or overflows a long of milliseconds.
   */
  public static long parse(String s) {
    if (s.isEmpty()) {
      return -1;
    }
    long total = 0;
    int i = 0;
    int lastUnit = -1;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && Character.isDigit(s.charAt(i))) {
        i++;
      }
      if (i == start) {
        return -1;
      }
      long n;
      try {
        n = Long.parseLong(s.substring(start, i));
      } catch (NumberFormatException e) {
        return -1;
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
      if (unit < 0 || unit <= lastUnit) {
        return -1;
      }
      i += UNITS[unit].length();
      lastUnit = unit;
      try {
        total = Math.addExact(total, Math.multiplyExact(n, MS[unit]));
      } catch (ArithmeticException overflow) {
        return -1; // not representable in milliseconds: as invalid as a malformed one
      }
    }
    return total;
  }

  /** Formats like Prometheus's model.Duration: {@code 1h30m}, {@code 0s}, {@code -5m}. */
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
      long n = ms / MS[u];
      if (n > 0) {
        sb.append(n).append(UNITS[u]);
        ms -= n * MS[u];
      }
    }
    return sb.toString();
  }
}
