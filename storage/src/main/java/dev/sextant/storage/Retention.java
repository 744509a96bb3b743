package dev.sextant.storage;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How long each signal is kept. Traces go by the time they were written, logs by their time,
 * metric samples by their timestamp. Expired data is dropped in whole chunks by a periodic job.
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
