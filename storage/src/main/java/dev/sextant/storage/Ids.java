package dev.sextant.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Trace and span IDs: the one rule for what is a valid ID, and hex conversion (lowercase). Every
 * module checks IDs here (OTLP receivers, query APIs, UI), so they agree on one rule, OTLP's:
 *
 * <ul>
 *   <li>a trace ID is 16 bytes, written as exactly 32 hex characters; a span ID 8 bytes, 16 hex
 *       characters; hex in either case, stored and returned lowercase;</li>
 *   <li>an ID whose bytes are all zero is invalid (OTLP: "all zeroes is considered invalid");
 *       no span can have one, so a lookup by it is a bad request, not a miss;</li>
 *   <li>shorter trace IDs (Zipkin's and Jaeger's 64-bit IDs, or leading zeros stripped) are
 *       accepted only where an API documents them, by {@link #padTraceId}.</li>
 * </ul>
 */
public final class Ids {
  /** The expected form of a trace ID, for error messages. */
  public static final String TRACE_ID_FORM = "32 hex characters, not all zero";
  /** The expected form of a span ID, for error messages. */
  public static final String SPAN_ID_FORM = "16 hex characters, not all zero";

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private Ids() {}

  /** Lowercase hex of {@code bytes}. */
  public static String toHex(byte[] bytes) {
    return toHex(bytes, 0, bytes.length);
  }

  /** Lowercase hex of {@code length} bytes of {@code bytes} from {@code offset}. */
  public static String toHex(byte[] bytes, int offset, int length) {
    byte[] out = new byte[length * 2];
    for (int i = 0; i < length; i++) {
      int v = bytes[offset + i];
      out[i * 2] = HEX[(v >> 4) & 0xf];
      out[i * 2 + 1] = HEX[v & 0xf];
    }
    // Latin-1 bytes become a String's contents as they are, without a char[] to compress.
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  /**
   * Bytes of a hex string (either case).
   *
   * @throws IllegalArgumentException on odd length or a non-hex character
   */
  public static byte[] fromHex(String hex) {
    if (hex.length() % 2 != 0) {
      throw new IllegalArgumentException("hex: odd length " + hex.length());
    }
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = Character.digit(hex.charAt(i * 2), 16);
      int lo = Character.digit(hex.charAt(i * 2 + 1), 16);
      if (hi < 0 || lo < 0) {
        throw new IllegalArgumentException("hex: invalid character near index " + i * 2);
      }
      out[i] = (byte) (hi << 4 | lo);
    }
    return out;
  }

  /**
   * Decodes {@code hex} (exactly {@code len} bytes' worth of hex characters, either case) into
   * {@code dst} at {@code off} without allocating.
   *
   * @return false, leaving {@code dst} partly written, when the length is wrong, a character is
   *     not hex, or every byte is zero (an invalid OTLP ID)
   */
  public static boolean decodeValidId(String hex, int len, byte[] dst, int off) {
    if (hex == null || hex.length() != len * 2) {
      return false;
    }
    int any = 0;
    for (int i = 0; i < len; i++) {
      int hi = Character.digit(hex.charAt(i * 2), 16);
      int lo = Character.digit(hex.charAt(i * 2 + 1), 16);
      if (hi < 0 || lo < 0) {
        return false;
      }
      int b = hi << 4 | lo;
      dst[off + i] = (byte) b;
      any |= b;
    }
    return any != 0;
  }

  /** True for exactly 32 hex characters that are not all zero. */
  public static boolean isValidTraceId(String id) {
    return isValidHex(id, 32);
  }

  /** True for exactly 16 hex characters that are not all zero. */
  public static boolean isValidSpanId(String id) {
    return isValidHex(id, 16);
  }

  /** True for exactly 16 bytes remaining in {@code id} that are not all zero; reads no bytes. */
  public static boolean isValidTraceId(ByteBuffer id) {
    return isValidBytes(id, 16);
  }

  /** True for exactly 8 bytes remaining in {@code id} that are not all zero; reads no bytes. */
  public static boolean isValidSpanId(ByteBuffer id) {
    return isValidBytes(id, 8);
  }

  /**
   * {@code id} lowercased when it is a valid trace ID.
   *
   * @throws IllegalArgumentException {@code field: 'id' (expected: 32 hex characters, not all
   *     zero)}
   */
  public static String checkTraceId(String field, String id) {
    if (!isValidTraceId(id)) {
      throw new IllegalArgumentException(field + ": '" + cut(id) + "' (expected: "
          + TRACE_ID_FORM + ")");
    }
    return id.toLowerCase(Locale.ROOT);
  }

  /**
   * {@code id} lowercased when it is a valid span ID.
   *
   * @throws IllegalArgumentException {@code field: 'id' (expected: 16 hex characters, not all
   *     zero)}
   */
  public static String checkSpanId(String field, String id) {
    if (!isValidSpanId(id)) {
      throw new IllegalArgumentException(field + ": '" + cut(id) + "' (expected: "
          + SPAN_ID_FORM + ")");
    }
    return id.toLowerCase(Locale.ROOT);
  }

  /**
   * A trace ID of 1-32 hex characters (a 64-bit Zipkin or Jaeger ID, or one whose leading zeros
   * were stripped) left-padded with zeros to 32 and lowercased, or null when it is not hex, is
   * longer than 32 or is all zero. Only for APIs that document short IDs (Jaeger's).
   */
  public static String padTraceId(String id) {
    if (id == null || id.isEmpty() || id.length() > 32) {
      return null;
    }
    String padded = "0".repeat(32 - id.length()) + id.toLowerCase(Locale.ROOT);
    return isValidTraceId(padded) ? padded : null;
  }

  /** True when every byte is zero (an invalid OTLP ID). */
  public static boolean isAllZero(byte[] id) {
    for (byte b : id) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isValidBytes(ByteBuffer id, int len) {
    if (id.remaining() != len) {
      return false;
    }
    for (int i = id.position(); i < id.limit(); i++) {
      if (id.get(i) != 0) {
        return true;
      }
    }
    return false;
  }

  /** A value for an error message: at most 64 characters and "...". */
  private static String cut(String value) {
    return value == null || value.length() <= 64 ? String.valueOf(value)
        : value.substring(0, 64) + "...";
  }

  private static boolean isValidHex(String id, int len) {
    if (id == null || id.length() != len) {
      return false;
    }
    boolean nonZero = false;
    for (int i = 0; i < len; i++) {
      int d = Character.digit(id.charAt(i), 16);
      if (d < 0) {
        return false;
      }
      nonZero |= d != 0;
    }
    return nonZero;
  }
}
