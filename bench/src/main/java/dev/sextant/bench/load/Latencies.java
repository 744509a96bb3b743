package dev.sextant.bench.load;

import java.util.Arrays;

/** Collects latencies in nanoseconds (thread-safe) and answers percentiles. */
final class Latencies {
  private long[] values = new long[1024];
  private int count;
  private String failure;

  synchronized void add(long nanos) {
    if (count == values.length) {
      values = Arrays.copyOf(values, count * 2);
    }
    values[count++] = nanos;
  }

  /** Marks the measurement as failed: a peer that stops answering is a figure, not a crash. */
  synchronized void fail(String reason) {
    failure = reason;
  }

  /** Why the measurement stopped early, or null when it ran to the end. */
  synchronized String failure() {
    return failure;
  }

  synchronized int count() {
    return count;
  }

  /** The {@code p}-th percentile (0..100) in milliseconds, nearest rank; NaN when empty. */
  synchronized double percentileMillis(double p) {
    if (count == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(values, count);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * count);
    return sorted[Math.max(0, Math.min(count - 1, rank - 1))] / 1e6;
  }
}
