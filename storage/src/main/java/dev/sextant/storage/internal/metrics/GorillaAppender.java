package dev.sextant.storage.internal.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The open (head) chunk of one series: a Gorilla bit stream (delta-of-delta timestamps, XOR of
 * raw double bits) grown in place. Not thread-safe; {@link MemSeries} guards it.
 *
 * <p>Bit layout per sample: the first sample's timestamp is the chunk key's min time and is not
 * written; later timestamps are a delta-of-delta in buckets sized for millisecond scrape jitter
 * ({@code 0}, {@code 10}+4, {@code 110}+8, {@code 1110}+14, {@code 11110}+24, {@code 11111}+64
 * bits): aligned scrapes cost 1 bit, a few ms of jitter 6 bits.
 *
 * <p>Values: {@code 0} when the raw bits equal the previous value's; {@code 10} + a bucketed
 * delta-of-delta of the value scaled to an integer (see {@link ValueScale}), for integers and
 * short decimals, which is most counters and gauges; else {@code 11} + Gorilla's XOR with the
 * previous raw bits (the first value XORs with 0.0), {@code 0} reusing the previous leading and
 * trailing zero window, {@code 1} + 5 bits leading zeros + 6 bits length + the bits. Every path
 * reproduces the raw bits exactly, so NaN payloads such as the staleness marker round-trip.
 */
final class GorillaAppender {
  static final int NO_WINDOW = -1;
  /** Samples between two decoder marks of an in-memory chunk ({@link Chunk#marks}). */
  static final int MARK_EVERY = 32;
  /** Longs per mark; see {@link #mark()} for the layout. */
  static final int MARK_LONGS = 7;
  private static final int INITIAL_BYTES = 32;
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private byte[] buf = new byte[INITIAL_BYTES];
  private int bitLen;
  private int count;
  private long minTime;
  private long maxTime;
  private long prevDelta;
  private long prevBits;
  private int leading = NO_WINDOW;
  private int trailing;
  private final ValueScale scale = new ValueScale();
  private long[] marks;
  private int markLen;

  int count() {
    return count;
  }

  long minTime() {
    return minTime;
  }

  long maxTime() {
    return maxTime;
  }

  /** Appends a sample; the caller guarantees {@code t > maxTime()} when not empty. */
  void append(long t, long valueBits) {
    if (count == 0) {
      minTime = t;
      prevDelta = 0;
    } else {
      long delta = t - maxTime;
      writeDod(delta - prevDelta);
      prevDelta = delta;
    }
    writeValue(valueBits);
    prevBits = valueBits;
    maxTime = t;
    count++;
    if (count % MARK_EVERY == 0) {
      mark();
    }
  }

  /**
   * Records the decoder's state after the sample just appended: samples read and bit position,
   * time, time delta, value bits, leading/trailing XOR window and value scale (the decoder's
   * window starts at 0/0 where the encoder's has none yet; it is only read once one is set).
   */
  private void mark() {
    if (marks == null) {
      marks = new long[3 * MARK_LONGS];
    } else if (markLen + MARK_LONGS > marks.length) {
      marks = Arrays.copyOf(marks, marks.length * 2);
    }
    long[] m = marks;
    int p = markLen;
    m[p] = ((long) count << 32) | bitLen;
    m[p + 1] = maxTime;
    m[p + 2] = prevDelta;
    m[p + 3] = prevBits;
    int lead = leading == NO_WINDOW ? 0 : leading;
    m[p + 4] = ((long) lead << 40) | ((long) trailing << 32) | (scale.k() & 0xFFFFFFFFL);
    m[p + 5] = scale.scaled();
    m[p + 6] = scale.delta();
    markLen += MARK_LONGS;
  }

  /**
   * An immutable copy of the current contents, for a reader: padded for {@link GorillaIterator}
   * and carrying the marks.
   */
  Chunk snapshot() {
    int bytes = (bitLen + 7) >>> 3;
    int marksAt = bytes + GorillaIterator.PAD;
    byte[] data = new byte[marksAt + 8 * markLen];
    System.arraycopy(buf, 0, data, 0, bytes);
    for (int i = 0; i < markLen; i++) {
      LONG_BE.set(data, marksAt + 8 * i, marks[i]);
    }
    return new Chunk(minTime, maxTime, count, data, 0, bytes, markLen);
  }

  /** The stored form of the current contents ({@link Chunk#encode}). */
  byte[] encode() {
    return Chunk.encode(count, maxTime - minTime, buf, (bitLen + 7) >>> 3);
  }

  /** Empties the chunk, keeping the buffer (its size fits the next chunk too). */
  void reset() {
    Arrays.fill(buf, 0, Math.min(buf.length, (bitLen + 7) >>> 3), (byte) 0);
    bitLen = 0;
    count = 0;
    prevBits = 0;
    prevDelta = 0;
    leading = NO_WINDOW;
    trailing = 0;
    scale.reset();
    markLen = 0;
  }

  private void writeDod(long dod) {
    if (dod == 0) {
      writeBits(0, 1);
    } else if (dod >= -8 && dod <= 7) {
      writeBits(0b10, 2);
      writeBits(dod, 4);
    } else if (dod >= -128 && dod <= 127) {
      writeBits(0b110, 3);
      writeBits(dod, 8);
    } else if (dod >= -8192 && dod <= 8191) {
      writeBits(0b1110, 4);
      writeBits(dod, 14);
    } else if (dod >= -(1 << 23) && dod < (1 << 23)) {
      writeBits(0b11110, 5);
      writeBits(dod, 24);
    } else {
      writeBits(0b11111, 5);
      writeBits(dod, 64);
    }
  }

  private void writeValue(long bits) {
    if (bits == prevBits) {
      writeBits(0, 1);
      scale.unchanged();
      return;
    }
    long dod = scale.dodOf(bits);
    // Take whichever form is shorter: large round steps (e.g. byte sizes) XOR better.
    if (dod != ValueScale.NONE && intDodBits(dod) <= xorBits(bits ^ prevBits)) {
      writeBits(0b10, 2);
      writeIntDod(dod);
    } else {
      writeBits(0b11, 2);
      writeXor(bits ^ prevBits);
    }
    scale.update(bits);
  }

  private void writeIntDod(long dod) {
    if (dod == 0) {
      writeBits(0, 1);
    } else if (dod >= -32 && dod <= 31) {
      writeBits(0b10, 2);
      writeBits(dod, 6);
    } else if (dod >= -4096 && dod <= 4095) {
      writeBits(0b110, 3);
      writeBits(dod, 13);
    } else if (dod >= -524288 && dod <= 524287) {
      writeBits(0b1110, 4);
      writeBits(dod, 20);
    } else if (dod >= Integer.MIN_VALUE && dod <= Integer.MAX_VALUE) {
      writeBits(0b11110, 5);
      writeBits(dod, 32);
    } else {
      writeBits(0b11111, 5);
      writeBits(dod, 64);
    }
  }

  private static int intDodBits(long dod) {
    if (dod == 0) {
      return 1;
    } else if (dod >= -32 && dod <= 31) {
      return 8;
    } else if (dod >= -4096 && dod <= 4095) {
      return 16;
    } else if (dod >= -524288 && dod <= 524287) {
      return 24;
    }
    return dod >= Integer.MIN_VALUE && dod <= Integer.MAX_VALUE ? 37 : 69;
  }

  private int xorBits(long x) {
    int lz = Math.min(Long.numberOfLeadingZeros(x), 31);
    int tz = Long.numberOfTrailingZeros(x);
    if (leading != NO_WINDOW && lz >= leading && tz >= trailing) {
      return 1 + 64 - leading - trailing;
    }
    return 12 + 64 - lz - tz;
  }

  private void writeXor(long x) {
    // 5 bits hold the leading-zero count, so cap it at 31.
    int lz = Math.min(Long.numberOfLeadingZeros(x), 31);
    int tz = Long.numberOfTrailingZeros(x);
    if (leading != NO_WINDOW && lz >= leading && tz >= trailing) {
      writeBits(0, 1);
      writeBits(x >>> trailing, 64 - leading - trailing);
    } else {
      int sig = 64 - lz - tz;
      writeBits(1, 1);
      writeBits(lz, 5);
      writeBits(sig & 63, 6); // 64 significant bits is written as 0
      writeBits(x >>> tz, sig);
      leading = lz;
      trailing = tz;
    }
  }

  private void writeBits(long v, int n) {
    int needBytes = (bitLen + n + 7) >>> 3;
    if (needBytes > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(needBytes, buf.length + (buf.length >> 1) + 8));
    }
    while (n > 0) {
      int free = 8 - (bitLen & 7);
      int take = Math.min(free, n);
      int part = (int) ((v >>> (n - take)) & ((1 << take) - 1));
      buf[bitLen >>> 3] |= (byte) (part << (free - take));
      bitLen += take;
      n -= take;
    }
  }
}
