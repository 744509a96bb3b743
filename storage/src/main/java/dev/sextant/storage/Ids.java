package dev.sextant.storage;

/** Trace and span IDs: validation and hex conversion (lowercase). */
public final class Ids {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Ids() {}

  /** Lowercase hex of {@code bytes}. */
  public static String toHex(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[i * 2] = HEX[(bytes[i] >> 4) & 0xf];
      out[i * 2 + 1] = HEX[bytes[i] & 0xf];
    }
    return new String(out);
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

  /** True when every byte is zero (an invalid OTLP ID). */
  public static boolean isAllZero(byte[] id) {
    for (byte b : id) {
      if (b != 0) {
        return false;
      }
    }
    return true;
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
