package dev.sextant.storage.internal.kv;

import java.nio.charset.StandardCharsets;

/** Reads what {@link ByteWriter} wrote. Throws {@link IllegalStateException} on truncated input. */
public final class ByteReader {
  private final byte[] buf;
  private int pos;
  private final int limit;

  public ByteReader(byte[] buf) {
    this(buf, 0, buf.length);
  }

  public ByteReader(byte[] buf, int off, int len) {
    this.buf = buf;
    this.pos = off;
    this.limit = off + len;
  }

  public boolean hasRemaining() {
    return pos < limit;
  }

  private void need(int n) {
    if (pos + n > limit) {
      throw new IllegalStateException("truncated record at byte " + pos);
    }
  }

  public int readByte() {
    need(1);
    return buf[pos++] & 0xff;
  }

  public long readVarLong() {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = readByte();
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new IllegalStateException("malformed varint at byte " + pos);
  }

  public int readVarInt() {
    return (int) readVarLong();
  }

  public long readZigZag() {
    long v = readVarLong();
    return (v >>> 1) ^ -(v & 1);
  }

  public long readFixed64() {
    need(8);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (buf[pos++] & 0xff);
    }
    return v;
  }

  public double readDouble() {
    return Double.longBitsToDouble(readFixed64());
  }

  public byte[] readBytes(int n) {
    need(n);
    byte[] out = new byte[n];
    System.arraycopy(buf, pos, out, 0, n);
    pos += n;
    return out;
  }

  public byte[] readLengthPrefixed() {
    return readBytes(readVarInt());
  }

  public String readString() {
    int n = readVarInt();
    need(n);
    String s = new String(buf, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }
}
