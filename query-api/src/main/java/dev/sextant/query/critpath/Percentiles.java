package dev.sextant.query.critpath;

/** Nearest-rank percentiles of sorted values: the smallest value with q of them at or below. */
final class Percentiles {
  private Percentiles() {}

  static long of(long[] sorted, double q) {
    return sorted.length == 0 ? 0 : sorted[rank(sorted.length, q)];
  }

  static double of(double[] sorted, double q) {
    return sorted.length == 0 ? 0 : sorted[rank(sorted.length, q)];
  }

  private static int rank(int n, double q) {
    return Math.max(0, Math.min(n, (int) Math.ceil(q * n)) - 1);
  }
}
