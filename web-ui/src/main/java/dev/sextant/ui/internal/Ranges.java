package dev.sextant.ui.internal;

import dev.sextant.query.Durations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The chart windows a page offers ({@code range=1h}) and the step that gives a chart about
 * {@value #POINTS} points over one.
 */
final class Ranges {
  static final List<String> OPTIONS =
      List.of("5m", "15m", "30m", "1h", "3h", "6h", "12h", "24h", "2d", "7d");
  static final int POINTS = 240;
  /** At most this many points per series, as the Prometheus API allows. */
  static final int MAX_POINTS = 11_000;

  private Ranges() {}

  /**
   * The range in milliseconds.
   *
   * @throws IllegalArgumentException naming {@code field} unless a duration from 1m to 31d
   */
  static long millis(String field, String value) {
    long ms = -1;
    try {
      ms = Durations.parseMillis(value);
    } catch (IllegalArgumentException e) {
      // reported below
    }
    if (ms < 60_000 || ms > 31 * 86_400_000L) {
      throw new IllegalArgumentException(field + ": " + value
          + " (expected: a duration from 1m to 31d, e.g. " + String.join(", ", OPTIONS) + ")");
    }
    return ms;
  }

  /** A step of at least 1 s giving about {@value #POINTS} points, rounded to whole seconds. */
  static long autoStepMillis(long rangeMs) {
    return Math.max(1, Math.round(rangeMs / (double) POINTS / 1000.0)) * 1000;
  }

  /** The options for a select element, {@code selected} set on {@code value}. */
  static List<Map<String, Object>> options(String value) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (!OPTIONS.contains(value)) {
      out.add(Map.of("value", value, "label", "last " + value, "selected", true));
    }
    for (String o : OPTIONS) {
      out.add(Map.of("value", o, "label", "last " + o, "selected", o.equals(value)));
    }
    return out;
  }
}
