package dev.sextant.storage.internal.logs;

/**
 * RocksDB keys. A record is {@code time(8, big-endian) + seq(8, big-endian)}: byte order is time
 * order, so newest-first is a reverse scan, and the store-wide sequence number makes keys unique and
 * orders records of the same nanosecond by arrival. A pending-index entry is {@code seq(8)} →
 * {@code time(8)}: the records written but perhaps not yet in a Lucene commit.
 */
final class LogKeys {
  static final int RECORD_KEY_BYTES = 16;

  private LogKeys() {}

  static byte[] recordKey(long time, long seq) {
    byte[] k = new byte[RECORD_KEY_BYTES];
    putLong(k, 0, time);
    putLong(k, 8, seq);
    return k;
  }

  static byte[] longKey(long v) {
    byte[] k = new byte[8];
    putLong(k, 0, v);
    return k;
  }

  static long time(byte[] recordKey) {
    return getLong(recordKey, 0);
  }

  static long seq(byte[] recordKey) {
    return getLong(recordKey, 8);
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
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }
}
