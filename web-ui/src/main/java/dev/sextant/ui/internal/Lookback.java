package dev.sextant.ui.internal;

import dev.sextant.query.Durations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The relative time ranges a page offers ({@code lookback=1h}); {@code all} means no bound. */
final class Lookback {
  private static final List<String> OPTIONS = List.of("15m", "1h", "6h", "24h", "7d", "all");

  private Lookback() {}

  /**
   * Start of the range in unix nanos (0 for {@code all}).
   *
   * @throws IllegalArgumentException when {@code value} is not one of the options
   */
  static long fromUnixNano(String value) {
    if (value.equals("all")) {
      return 0;
    }
    if (!OPTIONS.contains(value)) {
      throw new IllegalArgumentException(
          "lookback: " + value + " (expected: one of " + String.join(", ", OPTIONS) + ")");
    }
    long now = System.currentTimeMillis() * 1_000_000L;
    return Math.max(0, now - Durations.parseMillis(value) * 1_000_000L);
  }

  /** The options for a select element, {@code selected} set on {@code value}. */
  static List<Map<String, Object>> options(String value) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String o : OPTIONS) {
      out.add(Map.of("value", o, "label", o.equals("all") ? "all time" : "last " + o,
          "selected", o.equals(value)));
    }
    return out;
  }

  /** The smallest search lookback covering a chart {@code range} ({@code all} beyond 7 days). */
  static String closest(String range) {
    long want;
    try {
      want = Durations.parseMillis(range);
    } catch (IllegalArgumentException e) {
      return "1h";
    }
    for (String o : OPTIONS) {
      if (!o.equals("all") && Durations.parseMillis(o) >= want) {
        return o;
      }
    }
    return "all";
  }
}
