package dev.sextant.storage.metrics;

import static java.util.Objects.requireNonNull;

/**
 * Samples to append to one series. Timestamps are unix milliseconds; {@code timestamps} and
 * {@code values} have the same length. Samples older than the series' newest are dropped.
 */
public record TimeSeries(Labels labels, long[] timestamps, double[] values) {
  public TimeSeries {
    requireNonNull(labels, "labels");
    requireNonNull(timestamps, "timestamps");
    requireNonNull(values, "values");
    if (timestamps.length != values.length) {
      throw new IllegalArgumentException("values: " + values.length
          + " (expected: as many as timestamps, " + timestamps.length + ")");
    }
  }

  public static TimeSeries of(Labels labels, long timestamp, double value) {
    return new TimeSeries(labels, new long[] {timestamp}, new double[] {value});
  }
}
