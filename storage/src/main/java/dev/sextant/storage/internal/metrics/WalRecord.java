package dev.sextant.storage.internal.metrics;

import java.util.Arrays;

/**
 * The durable copy of one write group's samples: a single value in the {@code wal} column
 * family (key: the group's sequence number) instead of one RocksDB entry per sample, so a group
 * costs one memtable insert and nothing is flushed or compacted per sample. Records are deleted
 * once every sample in them is in a written chunk (see {@link SampleWriter}).
 *
 * <p>Layout: version byte {@code 1}, varint sample count, fixed64 first time, then per sample
 * varint series id, zigzag varint time minus the previous sample's time, fixed64 value bits.
 */
final class WalRecord {
  static final byte VERSION = 1;

  private byte[] buf = new byte[256];
  private int size;
  private int count;
  private long prevTime;

  /** Starts an empty record. */
  void reset() {
    size = 0;
    count = 0;
  }

  int count() {
    return count;
  }

  void add(long seriesId, long time, long valueBits) {
    ensure(10 + 10 + 8 + 8);
    if (count == 0) {
      Keys.putLong(buf, size, time);
      size += 8;
      prevTime = time;
    }
    putVar(seriesId);
    long d = time - prevTime;
    putVar((d << 1) ^ (d >> 63));
    prevTime = time;
    Keys.putLong(buf, size, valueBits);
    size += 8;
    count++;
  }

  /** The record's bytes: header then samples. */
  byte[] toBytes() {
    byte[] header = new byte[6];
    header[0] = VERSION;
    int h = 1;
    int c = count;
    while ((c & ~0x7F) != 0) {
      header[h++] = (byte) ((c & 0x7F) | 0x80);
      c >>>= 7;
    }
    header[h++] = (byte) c;
    byte[] out = new byte[h + size];
    System.arraycopy(header, 0, out, 0, h);
    System.arraycopy(buf, 0, out, h, size);
    return out;
  }

  /** Receives the samples of a record, in order. */
  interface Visitor {
    void sample(long seriesId, long time, long valueBits);
  }

  /** Decodes {@code record}; throws IllegalArgumentException when it is not a record. */
  static void read(byte[] record, Visitor v) {
    if (record.length == 0 || record[0] != VERSION) {
      throw new IllegalArgumentException("wal record: version "
          + (record.length == 0 ? "missing" : record[0]) + " (expected: " + VERSION + ")");
    }
    int[] pos = {1};
    long n = getVar(record, pos);
    if (n == 0) {
      return;
    }
    long time = Keys.getLong(record, pos[0]);
    pos[0] += 8;
    for (long i = 0; i < n; i++) {
      long id = getVar(record, pos);
      long z = getVar(record, pos);
      time += (z >>> 1) ^ -(z & 1);
      long bits = Keys.getLong(record, pos[0]);
      pos[0] += 8;
      v.sample(id, time, bits);
    }
  }

  private static long getVar(byte[] b, int[] pos) {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte x = b[pos[0]++];
      v |= (long) (x & 0x7F) << shift;
      if (x >= 0) {
        return v;
      }
    }
    throw new IllegalArgumentException("wal record: varint too long");
  }

  private void putVar(long v) {
    while ((v & ~0x7FL) != 0) {
      buf[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[size++] = (byte) v;
  }

  private void ensure(int extra) {
    if (size + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(size + extra, buf.length * 2));
    }
  }
}
