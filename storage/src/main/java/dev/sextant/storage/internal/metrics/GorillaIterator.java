package dev.sextant.storage.internal.metrics;

import dev.sextant.storage.metrics.SampleIterator;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Decodes a {@link Chunk}'s bit stream; the inverse of {@link GorillaAppender}.
 *
 * <p>Reads a 64-bit big-endian word at the bit position and decodes each prefix code from it in
 * one step ({@link Long#numberOfLeadingZeros} of the inverted word gives a unary prefix's length)
 * instead of bit by bit. A word can be read at any position up to the end because the data has
 * {@link #PAD} zero bytes after it: in-memory chunks are made padded and read in place, stored
 * ones are copied with padding. A stream that runs past its end is reported as corrupt.
 */
final class GorillaIterator implements SampleIterator {
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  /** Payload bits after a timestamp delta-of-delta prefix of 0..5 ones. */
  private static final int[] DOD_BITS = {0, 4, 8, 14, 24, 64};
  /** Payload bits after an integer value delta-of-delta prefix of 0..5 ones. */
  private static final int[] INT_DOD_BITS = {0, 6, 13, 20, 32, 64};
  static final int PAD = 9;

  private final byte[] data;
  private final int base;
  /** Index in data of the first mark's first byte, and the marks' length in longs. */
  private final int marksAt;
  private final int marks;
  private final int count;
  private final long endBit;
  private long bitPos;
  private int read;
  private long t;
  private long delta;
  private long bits;
  private int leading;
  private int trailing;
  private final ValueScale scale = new ValueScale();

  GorillaIterator(Chunk chunk) {
    byte[] src = chunk.data();
    if (src.length - chunk.end() >= PAD) {
      this.data = src;
      this.base = chunk.offset();
    } else {
      // A copy with 9 zero bytes of padding: every word read is then in bounds (a few hundred
      // bytes, cheaper than checking the bounds at every read).
      this.data = Arrays.copyOfRange(src, chunk.offset(), chunk.end() + PAD);
      this.base = 0;
    }
    this.marks = chunk.marks();
    this.marksAt = chunk.end() + PAD;
    this.count = chunk.count();
    this.endBit = (long) (chunk.end() - chunk.offset()) << 3;
    this.t = chunk.minTime();
  }

  @Override
  public boolean next() {
    if (read >= count) {
      return false;
    }
    try {
      if (read > 0) {
        delta += readDod();
        t += delta;
      }
      readValue();
    } catch (ArrayIndexOutOfBoundsException e) {
      bitPos = Long.MAX_VALUE; // far past the end: reported below
    }
    read++;
    if (bitPos > endBit) {
      throw new IllegalStateException("corrupt chunk: bit stream truncated");
    }
    return true;
  }

  /**
   * Advances to the first sample with a timestamp at or after {@code minT} (staying on the
   * current one when it qualifies); false when there is none. Samples before it are still
   * decoded (the stream is sequential) but not returned.
   */
  boolean seek(long minT) {
    if (read > 0 && t >= minT) {
      return true;
    }
    if (marks > 0) {
      restoreBefore(minT);
    }
    while (next()) {
      if (t >= minT) {
        return true;
      }
    }
    return false;
  }

  /**
   * Jumps to the last mark past the current sample whose time is before {@code minT}: every
   * sample up to it is before {@code minT} too, so none of them is skipped wrongly.
   */
  private void restoreBefore(long minT) {
    int found = -1;
    for (int p = 0; p < marks; p += GorillaAppender.MARK_LONGS) {
      if (mark(p + 1) >= minT) {
        break;
      }
      found = p;
    }
    if (found < 0 || (int) (mark(found) >>> 32) <= read) {
      return;
    }
    long head = mark(found);
    read = (int) (head >>> 32);
    bitPos = head & 0xFFFFFFFFL;
    t = mark(found + 1);
    delta = mark(found + 2);
    bits = mark(found + 3);
    long w = mark(found + 4);
    leading = (int) (w >>> 40);
    trailing = (int) ((w >>> 32) & 0xFF);
    scale.restore((int) w, mark(found + 5), mark(found + 6));
  }

  private long mark(int i) {
    return (long) LONG_BE.get(data, marksAt + 8 * i);
  }

  /** Samples decoded so far. */
  int decoded() {
    return read;
  }

  @Override
  public long timestamp() {
    return t;
  }

  @Override
  public double value() {
    return Double.longBitsToDouble(bits);
  }

  /** The 64 bits from {@link #bitPos} on (all valid; zeros past the end of the data). */
  private long peek() {
    int idx = base + (int) (bitPos >>> 3);
    int shift = (int) (bitPos & 7);
    long w = (long) LONG_BE.get(data, idx);
    return shift == 0 ? w : (w << shift) | ((data[idx + 8] & 0xFFL) >>> (8 - shift));
  }

  /** Reads {@code n} (0..64) bits as an unsigned value. */
  private long readBits(int n) {
    if (n == 0) {
      return 0;
    }
    long v = peek() >>> (64 - n);
    bitPos += n;
    return v;
  }

  /** Reads a prefix of up to 5 ones ended by a zero (or 5 ones) and returns the ones. */
  private static int ones(long w) {
    return Math.min(Long.numberOfLeadingZeros(~w), 5);
  }

  private long readDod() {
    long w = peek();
    if (w >= 0) {
      bitPos++;
      return 0;
    }
    int ones = ones(w);
    int prefix = ones == 5 ? 5 : ones + 1;
    int n = DOD_BITS[ones];
    if (n == 64) {
      bitPos += prefix;
      return readBits(64);
    }
    bitPos += prefix + n;
    return (w << prefix) >> (64 - n);
  }

  private void readValue() {
    long w = peek();
    if (w >= 0) {
      bitPos++;
      scale.unchanged();
      return;
    }
    if ((w << 1) >= 0) {
      bitPos += 2;
      readIntDod(w << 2);
    } else {
      bitPos += 2;
      readXor();
      scale.update(bits);
    }
  }

  /** {@code w}: the word read at the start of the dod's prefix, aligned to it. */
  private void readIntDod(long w) {
    long dod;
    if (w >= 0) {
      bitPos++;
      dod = 0;
    } else {
      int ones = ones(w);
      int prefix = ones == 5 ? 5 : ones + 1;
      int n = INT_DOD_BITS[ones];
      // The 2 value-prefix bits already dropped from w leave 62 valid bits: 5 + 32 fit.
      if (n == 64) {
        bitPos += prefix;
        dod = readBits(64);
      } else {
        bitPos += prefix + n;
        dod = (w << prefix) >> (64 - n);
      }
    }
    bits = scale.advanceDod(dod);
  }

  private void readXor() {
    long w = peek();
    if (w < 0) {
      leading = (int) ((w << 1) >>> 59);
      int sig = (int) ((w << 6) >>> 58);
      if (sig == 0) {
        sig = 64;
      }
      trailing = 64 - leading - sig;
      bitPos += 12;
    } else {
      bitPos++;
    }
    int sig = 64 - leading - trailing;
    bits ^= readBits(sig) << trailing;
  }
}
