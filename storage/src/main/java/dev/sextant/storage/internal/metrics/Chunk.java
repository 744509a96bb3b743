package dev.sextant.storage.internal.metrics;

import dev.sextant.storage.metrics.SampleIterator;

/**
 * A sealed view of Gorilla-encoded samples: {@code count} samples from {@code minTime} to
 * {@code maxTime}, the bit stream in {@code data[offset, end)}.
 *
 * <p>Chunks made in memory (from a head) carry {@link GorillaIterator#PAD} zero bytes after
 * {@code end}, so iterators read them in place, then {@code marks} longs (big-endian): the
 * decoder's state every {@link GorillaAppender#MARK_EVERY} samples, so a seek into the chunk
 * starts from the last mark before it instead of the first sample. They share the data's array,
 * so a seek touches one object less. Chunks read from RocksDB have neither ({@code marks} 0).
 *
 * <p>Stored form (value of the chunks column family, keyed by series id + min time): uvarint
 * count, uvarint {@code maxTime - minTime}, then the bit stream.
 */
record Chunk(long minTime, long maxTime, int count, byte[] data, int offset, int end,
             int marks) {

  static byte[] encode(int count, long span, byte[] bits, int bitBytes) {
    byte[] out = new byte[varLen(count) + varLen(span) + bitBytes];
    int p = putVar(out, 0, count);
    p = putVar(out, p, span);
    System.arraycopy(bits, 0, out, p, bitBytes);
    return out;
  }

  /** Parses a stored chunk whose key carries {@code minTime}. */
  static Chunk decode(long minTime, byte[] value) {
    long[] pos = {0};
    long count = getVar(value, pos);
    long span = getVar(value, pos); // unsigned: wraps correctly for any in-range chunk
    if (count <= 0 || count > Integer.MAX_VALUE) {
      throw new IllegalStateException("corrupt chunk header: count=" + count + " span=" + span);
    }
    return new Chunk(minTime, minTime + span, (int) count, value, (int) pos[0], value.length, 0);
  }

  /** Reads only the max time of a stored chunk, without copying it. */
  static long maxTimeOf(long minTime, byte[] value) {
    long[] pos = {0};
    getVar(value, pos);
    return minTime + getVar(value, pos);
  }

  SampleIterator iterator() {
    return new GorillaIterator(this);
  }

  private static int varLen(long v) {
    int n = 1;
    while ((v & ~0x7FL) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  private static int putVar(byte[] out, int p, long v) {
    while ((v & ~0x7FL) != 0) {
      out[p++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out[p++] = (byte) v;
    return p;
  }

  private static long getVar(byte[] in, long[] pos) {
    long v = 0;
    int shift = 0;
    int p = (int) pos[0];
    while (true) {
      if (p >= in.length || shift > 63) {
        throw new IllegalStateException("corrupt chunk header: truncated varint");
      }
      byte b = in[p++];
      v |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        break;
      }
      shift += 7;
    }
    pos[0] = p;
    return v;
  }
}
