package dev.sextant.storage.internal.metrics;

/**
 * Big-endian keys so RocksDB's byte order is (series id, time) order. Times have their sign bit
 * flipped so negative (pre-1970) timestamps still sort before positive ones.
 */
final class Keys {
  static final int SERIES_KEY = 8;
  static final int SAMPLE_KEY = 16;

  private Keys() {}

  static byte[] series(long id) {
    byte[] k = new byte[SERIES_KEY];
    putLong(k, 0, id);
    return k;
  }

  /** Key of a raw sample or of a chunk (by its min time). */
  static byte[] sample(long id, long time) {
    byte[] k = new byte[SAMPLE_KEY];
    fillSample(k, id, time);
    return k;
  }

  static void fillSample(byte[] k, long id, long time) {
    putLong(k, 0, id);
    putLong(k, 8, time ^ Long.MIN_VALUE);
  }

  static long id(byte[] key) {
    return getLong(key, 0);
  }

  static long time(byte[] key) {
    return getLong(key, 8) ^ Long.MIN_VALUE;
  }

  static void putLong(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }

  static long getLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return v;
  }
}
