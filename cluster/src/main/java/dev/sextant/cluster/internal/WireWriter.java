package dev.sextant.cluster.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte buffer with the primitives of the record format: varints, zigzag, UTF-8. */
public final class WireWriter {
  private byte[] buf;
  private int size;

  public WireWriter(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  public int size() {
    return size;
  }

  /** Forgets everything written so far, keeping the buffer. */
  public void reset() {
    size = 0;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  private void ensure(int more) {
    if (size + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }
  }

  public void writeByte(int b) {
    ensure(1);
    buf[size++] = (byte) b;
  }

  /** Unsigned LEB128, as protobuf's varint. */
  public void writeVarLong(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[size++] = (byte) v;
  }

  public void writeVarInt(int v) {
    writeVarLong(v & 0xFFFFFFFFL);
  }

  /** Signed as protobuf's sint64: small magnitudes of either sign take few bytes. */
  public void writeZigZag(long v) {
    writeVarLong((v << 1) ^ (v >> 63));
  }

  /** Eight bytes, big-endian. */
  public void writeFixed64(long v) {
    ensure(8);
    for (int i = 7; i >= 0; i--) {
      buf[size++] = (byte) (v >>> (i * 8));
    }
  }

  /** The raw bits, so NaN payloads (Prometheus' stale marker) survive bit-exactly. */
  public void writeDouble(double d) {
    writeFixed64(Double.doubleToRawLongBits(d));
  }

  /** Varint length, then the bytes. */
  public void writeBytes(byte[] b) {
    writeBytes(b, 0, b.length);
  }

  public void writeBytes(byte[] b, int off, int len) {
    writeVarInt(len);
    ensure(len);
    System.arraycopy(b, off, buf, size, len);
    size += len;
  }

  /** Varint length of the UTF-8 bytes, then the bytes. */
  public void writeString(String s) {
    writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }
}
