package dev.sextant.storage;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How long each signal is kept. Every signal is stored in time blocks (see
 * {@link EmbeddedStorageBuilder#blockDuration}): spans in the block of the time they were written,
 * log records in the block of their time, metric samples in the block of their timestamp. A
 * periodic job drops a block whole once its end is older than the signal's retention, so data is
 * kept at least its retention and at most its retention plus one block duration (plus the check
 * interval).
 */
public record Retention(Duration traces, Duration logs, Duration metrics) {
  public Retention {
    check("traces", traces);
    check("logs", logs);
    check("metrics", metrics);
  }

  /** 7 days of traces and logs, 15 days of metrics (Prometheus's default). */
  public static Retention defaults() {
    return new Retention(Duration.ofDays(7), Duration.ofDays(7), Duration.ofDays(15));
  }

  private static void check(String name, Duration d) {
    requireNonNull(d, name);
    if (d.toMinutes() < 1) {
      throw new IllegalArgumentException("retention." + name + ": " + d + " (expected: >= 1m)");
    }
  }
}
