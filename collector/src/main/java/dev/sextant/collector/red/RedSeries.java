package dev.sextant.collector.red;

/** Cumulative call count, duration sum and per-bucket counts of one label combination. */
final class RedSeries {
  record Snapshot(long count, double sum, long[] buckets) {}

  private final long[] buckets;
  private long count;
  private double sum;

  RedSeries(int bucketCount) {
    buckets = new long[bucketCount];
  }

  synchronized void add(double seconds, double[] bounds) {
    count++;
    sum += seconds;
    for (int i = 0; i < bounds.length; i++) {
      if (seconds <= bounds[i]) {
        buckets[i]++;
        return;
      }
    }
  }

  synchronized Snapshot snapshot() {
    return new Snapshot(count, sum, buckets.clone());
  }
}
