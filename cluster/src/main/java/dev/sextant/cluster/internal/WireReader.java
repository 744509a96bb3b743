package dev.sextant.cluster.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads what {@link WireWriter} wrote. Every length and count is checked against the bytes left,
 * so a corrupt record fails with {@link CorruptRecordException} instead of allocating what it
 * claims.
 */
public final class WireReader {
  private final byte[] buf;
  private int pos;
  private final int end;

  public WireReader(byte[] buf) {
    this(buf, 0, buf.length);
  }

  public WireReader(byte[] buf, int off, int len) {
    this.buf = buf;
    this.pos = off;
    this.end = off + len;
  }

  public boolean hasRemaining() {
    return pos < end;
  }

  public int remaining() {
    return end - pos;
  }

  private void need(int n) {
    if (n < 0 || n > end - pos) {
      throw new CorruptRecordException(
          "needs " + n + " more bytes at offset " + pos + ", " + (end - pos) + " left");
    }
  }

  public int readByte() {
    need(1);
    return buf[pos++] & 0xFF;
  }

  public long readVarLong() {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = readByte();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new CorruptRecordException("varint longer than 10 bytes at offset " + pos);
  }

  public int readVarInt() {
    long v = readVarLong();
    if (v < 0 || v > 0xFFFFFFFFL) {
      throw new CorruptRecordException("varint " + v + " out of int range");
    }
    return (int) v;
  }

  /**
   * A count or length of things that each take at least {@code minBytes} more bytes: bounded by
   * what is left, so a corrupt count cannot make the caller allocate a huge array.
   */
  public int readCount(int minBytes) {
    int n = readVarInt();
    if (n < 0 || (long) n * Math.max(1, minBytes) > end - pos) {
      throw new CorruptRecordException("count " + n + " at offset " + pos + " exceeds the "
          + (end - pos) + " bytes left");
    }
    return n;
  }

  public long readZigZag() {
    long v = readVarLong();
    return (v >>> 1) ^ -(v & 1);
  }

  public long readFixed64() {
    need(8);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (buf[pos++] & 0xFF);
    }
    return v;
  }

  public double readDouble() {
    return Double.longBitsToDouble(readFixed64());
  }

  public byte[] readBytes() {
    int n = readCount(1);
    byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return b;
  }

  public String readString() {
    int n = readCount(1);
    String s = new String(buf, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  /** A nested reader over the next length-prefixed bytes, which it skips here. */
  public WireReader readNested() {
    int n = readCount(1);
    WireReader r = new WireReader(buf, pos, n);
    pos += n;
    return r;
  }
}
