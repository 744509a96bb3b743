package dev.sextant.storage.internal.metrics;

import dev.sextant.storage.metrics.SampleIterator;

/**
 * The bit-at-a-time decoder the chunk format was first read with (a copy of the original
 * {@code GorillaIterator}): the reference the word-at-a-time decoder must agree with.
 */
final class ReferenceGorillaDecoder implements SampleIterator {
  private final byte[] data;
  private final int count;
  private long bitPos;
  private int read;
  private long t;
  private long delta;
  private long bits;
  private int leading;
  private int trailing;
  private final ValueScale scale = new ValueScale();

  ReferenceGorillaDecoder(Chunk chunk) {
    this.data = chunk.data();
    this.count = chunk.count();
    this.bitPos = (long) chunk.offset() << 3;
    this.t = chunk.minTime();
  }

  @Override
  public boolean next() {
    if (read >= count) {
      return false;
    }
    if (read > 0) {
      delta += readDod();
      t += delta;
    }
    readValue();
    read++;
    return true;
  }

  @Override
  public long timestamp() {
    return t;
  }

  @Override
  public double value() {
    return Double.longBitsToDouble(bits);
  }

  private long readDod() {
    if (readBit() == 0) {
      return 0;
    }
    if (readBit() == 0) {
      return signed(readBits(4), 4);
    }
    if (readBit() == 0) {
      return signed(readBits(8), 8);
    }
    if (readBit() == 0) {
      return signed(readBits(14), 14);
    }
    if (readBit() == 0) {
      return signed(readBits(24), 24);
    }
    return readBits(64);
  }

  private void readValue() {
    if (readBit() == 0) {
      scale.unchanged();
      return;
    }
    if (readBit() == 0) {
      bits = scale.fromDod(readIntDod());
    } else {
      readXor();
    }
    scale.update(bits);
  }

  private long readIntDod() {
    if (readBit() == 0) {
      return 0;
    }
    if (readBit() == 0) {
      return signed(readBits(6), 6);
    }
    if (readBit() == 0) {
      return signed(readBits(13), 13);
    }
    if (readBit() == 0) {
      return signed(readBits(20), 20);
    }
    if (readBit() == 0) {
      return signed(readBits(32), 32);
    }
    return readBits(64);
  }

  private void readXor() {
    if (readBit() == 1) {
      leading = (int) readBits(5);
      int sig = (int) readBits(6);
      if (sig == 0) {
        sig = 64;
      }
      trailing = 64 - leading - sig;
    }
    int sig = 64 - leading - trailing;
    bits ^= readBits(sig) << trailing;
  }

  private static long signed(long v, int n) {
    return (v << (64 - n)) >> (64 - n);
  }

  private int readBit() {
    int b = (data[(int) (bitPos >>> 3)] >>> (7 - (int) (bitPos & 7))) & 1;
    bitPos++;
    return b;
  }

  private long readBits(int n) {
    long v = 0;
    while (n > 0) {
      int idx = (int) (bitPos >>> 3);
      if (idx >= data.length) {
        throw new IllegalStateException("corrupt chunk: bit stream truncated");
      }
      int avail = 8 - (int) (bitPos & 7);
      int take = Math.min(avail, n);
      int part = ((data[idx] & 0xFF) >>> (avail - take)) & ((1 << take) - 1);
      v = (v << take) | part;
      bitPos += take;
      n -= take;
    }
    return v;
  }
}
