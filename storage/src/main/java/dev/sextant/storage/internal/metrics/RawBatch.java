package dev.sextant.storage.internal.metrics;

import java.util.Arrays;

/**
 * A RocksDB write batch built in its serialized form (rocksdb/db/write_batch.cc: fixed64
 * sequence, fixed32 count, then {@code 0x5 varint32-cf varstring-key varstring-value} records),
 * so a group crosses JNI once, as {@code new WriteBatch(bytes)}.
 */
final class RawBatch {
  private static final int HEADER = 12;
  private static final int TYPE_CF_VALUE = 0x5;

  private byte[] buf;
  private int size = HEADER;
  private int count;

  RawBatch(int initialCapacity) {
    buf = new byte[Math.max(64, initialCapacity)];
  }

  void put(int cf, byte[] k, byte[] v) {
    ensure(k.length + v.length + 16);
    buf[size++] = TYPE_CF_VALUE;
    putVar(cf);
    putVar(k.length);
    System.arraycopy(k, 0, buf, size, k.length);
    size += k.length;
    putVar(v.length);
    System.arraycopy(v, 0, buf, size, v.length);
    size += v.length;
    count++;
  }

  int count() {
    return count;
  }

  byte[] toBytes() {
    byte[] out = Arrays.copyOf(buf, size);
    out[8] = (byte) count;
    out[9] = (byte) (count >>> 8);
    out[10] = (byte) (count >>> 16);
    out[11] = (byte) (count >>> 24);
    return out;
  }

  private void putVar(int v) {
    while ((v & ~0x7F) != 0) {
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
