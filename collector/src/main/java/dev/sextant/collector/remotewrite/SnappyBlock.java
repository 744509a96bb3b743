package dev.sextant.collector.remotewrite;

/**
 * Decodes Snappy's block format (the framing-less one remote write uses), in plain Java: a varint
 * of the decoded length, then literals and back-references. The declared length is checked
 * against the caller's limit, and against what the input could possibly expand to, before the
 * output is allocated; every literal and copy is bounds-checked, so corrupt or hostile input ends
 * in a {@link CorruptException}, never an out-of-bounds access or an oversized buffer.
 */
final class SnappyBlock {
  /**
   * The most one input byte can produce: a 3-byte copy element yields up to 64 bytes, a 2-byte
   * one up to 11, a literal one byte per byte.
   */
  private static final int MAX_EXPANSION = 22;

  /** The input is not a valid Snappy block; the message says where and why. */
  static final class CorruptException extends Exception {
    private static final long serialVersionUID = 1L;

    CorruptException(String message) {
      super(message, null, false, false);
    }
  }

  /** The declared length is over the caller's limit. */
  static final class TooLargeException extends Exception {
    private static final long serialVersionUID = 1L;

    TooLargeException(String message) {
      super(message, null, false, false);
    }
  }

  private SnappyBlock() {}

  /** The decoded length the block declares (its varint preamble). */
  static long declaredLength(byte[] in) throws CorruptException {
    long n = 0;
    for (int i = 0, shift = 0; i < in.length && i < 5; i++, shift += 7) {
      int b = in[i] & 0xff;
      n |= (long) (b & 0x7f) << shift;
      if (b < 0x80) {
        if (n > 0xffff_ffffL) {
          break;
        }
        return n;
      }
    }
    throw new CorruptException("snappy: invalid length preamble");
  }

  /** Where the preamble ends: after its first byte without the continuation bit. */
  private static int preambleEnd(byte[] in) {
    int i = 0;
    while ((in[i] & 0x80) != 0) {
      i++;
    }
    return i + 1;
  }

  /**
   * Decodes {@code in}.
   *
   * @throws TooLargeException when it declares more than {@code maxBytes} bytes (nothing
   *     allocated)
   * @throws CorruptException when it is not a valid block
   */
  static byte[] decode(byte[] in, int maxBytes) throws CorruptException, TooLargeException {
    long declared = declaredLength(in);
    if (declared > maxBytes) {
      throw new TooLargeException("snappy: declared decoded length " + declared
          + " bytes (expected: <= " + maxBytes + ", maxRequestBytes)");
    }
    int ip = preambleEnd(in); // valid: declaredLength read it
    if (declared > (long) (in.length - ip) * MAX_EXPANSION) {
      throw new CorruptException("snappy: declared decoded length " + declared
          + " bytes is more than " + (in.length - ip) + " bytes of block can hold");
    }
    byte[] out = new byte[(int) declared];
    int op = 0;
    while (ip < in.length) {
      int tag = in[ip++] & 0xff;
      int len;
      int offset;
      switch (tag & 3) {
        case 0 -> {
          len = (tag >>> 2) + 1;
          if (len > 60) {
            int extra = len - 60; // 1 to 4 bytes of length - 1, little-endian
            if (ip + extra > in.length) {
              throw new CorruptException("snappy: truncated literal length at " + (ip - 1));
            }
            long l = 0;
            for (int i = 0; i < extra; i++) {
              l |= (long) (in[ip++] & 0xff) << (8 * i);
            }
            if (l + 1 > out.length - op) {
              throw new CorruptException("snappy: literal of " + (l + 1) + " bytes at " + ip
                  + " overruns the declared length " + out.length);
            }
            len = (int) l + 1;
          }
          if (len > in.length - ip || len > out.length - op) {
            throw new CorruptException("snappy: literal of " + len + " bytes at " + ip
                + " overruns the " + (len > in.length - ip ? "input" : "declared length"));
          }
          System.arraycopy(in, ip, out, op, len);
          ip += len;
          op += len;
          continue;
        }
        case 1 -> {
          if (ip >= in.length) {
            throw new CorruptException("snappy: truncated copy at " + (ip - 1));
          }
          len = 4 + ((tag >>> 2) & 7);
          offset = ((tag & 0xe0) << 3) | (in[ip++] & 0xff);
        }
        case 2 -> {
          if (ip + 2 > in.length) {
            throw new CorruptException("snappy: truncated copy at " + (ip - 1));
          }
          len = (tag >>> 2) + 1;
          offset = (in[ip] & 0xff) | (in[ip + 1] & 0xff) << 8;
          ip += 2;
        }
        default -> {
          if (ip + 4 > in.length) {
            throw new CorruptException("snappy: truncated copy at " + (ip - 1));
          }
          len = (tag >>> 2) + 1;
          long o = (in[ip] & 0xff) | (in[ip + 1] & 0xff) << 8 | (in[ip + 2] & 0xff) << 16
              | (long) (in[ip + 3] & 0xff) << 24;
          ip += 4;
          offset = o > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) o;
        }
      }
      if (offset == 0 || offset > op) {
        throw new CorruptException("snappy: copy offset " + offset + " at output byte " + op
            + " (expected: 1-" + op + ")");
      }
      if (len > out.length - op) {
        throw new CorruptException("snappy: copy of " + len + " bytes at output byte " + op
            + " overruns the declared length " + out.length);
      }
      int from = op - offset;
      if (offset >= len) {
        System.arraycopy(out, from, out, op, len);
        op += len;
      } else {
        for (int i = 0; i < len; i++) { // overlapping: a repeated pattern, byte by byte
          out[op++] = out[from + i];
        }
      }
    }
    if (op != out.length) {
      throw new CorruptException("snappy: decoded " + op + " bytes (expected: the declared "
          + out.length + ")");
    }
    return out;
  }
}
