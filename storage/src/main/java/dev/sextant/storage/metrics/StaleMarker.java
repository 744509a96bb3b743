package dev.sextant.storage.metrics;

/**
 * Prometheus's staleness marker: a NaN with a specific bit pattern, distinct from an ordinary NaN
 * a user may write. Stored and returned like any sample; queries treat it as "series ended".
 */
public final class StaleMarker {
  /** The bits of the stale NaN (Prometheus's {@code value.StaleNaN}). */
  public static final long BITS = 0x7ff0000000000002L;
  public static final double VALUE = Double.longBitsToDouble(BITS);

  private StaleMarker() {}

  public static boolean isStale(double v) {
    return Double.doubleToRawLongBits(v) == BITS;
  }
}
