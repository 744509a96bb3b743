package dev.sextant.storage.internal.metrics;

/**
 * The integer view of a series' values shared by encoder and decoder: the smallest power of ten
 * {@code 10^k} (k ≤ 6) that turns the last value into an integer whose division by {@code 10^k}
 * gives back its exact bits. Both sides update it from the decoded values alone, so it is never
 * written. While the next value has an exact integer form at the same scale, the chunk stores the
 * delta-of-delta of those integers instead of an XOR (an M3TSZ-like refinement of Gorilla):
 * counters and gauges move by small integer or short decimal steps, which XOR encodes poorly.
 */
final class ValueScale {
  static final long NONE = Long.MIN_VALUE;
  private static final double[] POW10 = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
  private static final double LIMIT = 0x1p53;

  private int k;
  private long scaled;
  private long delta;

  ValueScale() {
    reset();
  }

  /** Back to the state before the first value: 0.0 at scale 0. */
  void reset() {
    k = 0;
    scaled = 0;
    delta = 0;
  }

  /** Scale exponent, -1 when the last value has no integer form (decoder marks). */
  int k() {
    return k;
  }

  long scaled() {
    return scaled;
  }

  long delta() {
    return delta;
  }

  /** Restores the state {@link #k}, {@link #scaled} and {@link #delta} returned. */
  void restore(int k, long scaled, long delta) {
    this.k = k;
    this.scaled = scaled;
    this.delta = delta;
  }

  /** The delta-of-delta coding {@code bits}, or {@link #NONE} when it has no integer form. */
  long dodOf(long bits) {
    if (k < 0) {
      return NONE;
    }
    long m = scaledAt(bits, k);
    if (m == NONE) {
      return NONE;
    }
    long dod = (m - scaled) - delta;
    return dod == NONE ? NONE : dod;
  }

  /** The raw bits of the value whose integer delta-of-delta is {@code dod}. */
  long fromDod(long dod) {
    long m = scaled + delta + dod;
    double v = k == 0 ? (double) m : m / POW10[k];
    return Double.doubleToRawLongBits(v);
  }

  /** The value repeated (bits unchanged): its integer delta was 0. */
  void unchanged() {
    delta = 0;
  }

  /** Advances past a value that differs from the previous one. */
  void update(long bits) {
    long m = k < 0 ? NONE : scaledAt(bits, k);
    if (m != NONE) {
      delta = m - scaled;
      scaled = m;
      return;
    }
    delta = 0;
    for (int i = 0; i < POW10.length; i++) {
      m = scaledAt(bits, i);
      if (m != NONE) {
        k = i;
        scaled = m;
        return;
      }
    }
    k = -1;
  }

  /**
   * {@link #fromDod} then {@link #update} of its result, for the decoder: the integer form of the
   * value is known ({@code m}), so it is not searched again. Equal to the two calls because the
   * encoder only writes a delta-of-delta for a value whose integer form at scale k is exact.
   */
  long advanceDod(long dod) {
    long m = scaled + delta + dod;
    double v = k == 0 ? (double) m : m / POW10[k];
    delta = m - scaled;
    scaled = m;
    return Double.doubleToRawLongBits(v);
  }

  private static long scaledAt(long bits, int k) {
    double x = Double.longBitsToDouble(bits) * POW10[k];
    if (!(Math.abs(x) < LIMIT)) {
      return NONE; // NaN, infinities, too large
    }
    long m = Math.round(x);
    double back = k == 0 ? (double) m : m / POW10[k];
    return Double.doubleToRawLongBits(back) == bits ? m : NONE;
  }
}
