package dev.sextant.query.trace;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A compact JSON writer straight to UTF-8 bytes, for the trace JSON: a 1,000-span trace is some
 * 900 KB of 40,000 fields, and through Jackson's generator its writing was half of a look-up.
 * Field names are pre-encoded, numbers are written as digits without a {@code String}, and a
 * string is copied byte by byte until the first character that needs more than that.
 *
 * <p>The output is exactly what Jackson's default {@code UTF8JsonGenerator} writes (the trace
 * JSON's golden tests and {@code JsonBytesTest} hold it there): no white space; the quote, the
 * backslash and control characters escaped (b, t, n, f and r by letter, the others as a backslash,
 * {@code u} and four upper-case hex digits); other characters as UTF-8, except UTF-16 surrogates,
 * which Jackson escapes one by one as it does control characters (in strings and field names;
 * pre-encoded field names differ: {@link #encodedName}). Commas are placed from a single flag: the
 * caller writes a well-formed sequence (this class does not check it).
 */
final class JsonBytes implements AutoCloseable {
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
  // 0: as it is; > 0: the letter after the backslash; < 0: backslash, u, four hex digits.
  private static final int[] ESCAPES = new int[128];

  static {
    for (int i = 0; i < 32; i++) {
      ESCAPES[i] = -1;
    }
    ESCAPES['"'] = '"';
    ESCAPES['\\'] = '\\';
    ESCAPES['\b'] = 'b';
    ESCAPES['\t'] = 't';
    ESCAPES['\f'] = 'f';
    ESCAPES['\n'] = 'n';
    ESCAPES['\r'] = 'r';
  }

  private final OutputStream out;
  private final byte[] buf;
  private int pos;
  /** Whether the next value or field name is preceded by a comma. */
  private boolean comma;

  JsonBytes(OutputStream out) {
    this(out, 16 * 1024);
  }

  JsonBytes(OutputStream out, int bufferSize) {
    this.out = out;
    // Room for the longest single write (an escaped character, a number, a field name).
    this.buf = new byte[Math.max(64, bufferSize)];
  }

  /** {@code "name":} pre-encoded for {@link #name(byte[])}; {@code name} must need no escape. */
  static byte[] fieldName(String name) {
    return ('"' + name + "\":").getBytes(StandardCharsets.UTF_8);
  }

  private void ensure(int n) throws IOException {
    if (pos + n > buf.length) {
      flush();
    }
  }

  private void flush() throws IOException {
    if (pos > 0) {
      out.write(buf, 0, pos);
      pos = 0;
    }
  }

  private void separate() throws IOException {
    if (comma) {
      ensure(1);
      buf[pos++] = ',';
    }
  }

  void startObject() throws IOException {
    separate();
    ensure(1);
    buf[pos++] = '{';
    comma = false;
  }

  void endObject() throws IOException {
    ensure(1);
    buf[pos++] = '}';
    comma = true;
  }

  void startArray() throws IOException {
    separate();
    ensure(1);
    buf[pos++] = '[';
    comma = false;
  }

  void endArray() throws IOException {
    ensure(1);
    buf[pos++] = ']';
    comma = true;
  }

  /** A field name from {@link #fieldName(String)}. */
  void name(byte[] encoded) throws IOException {
    separate();
    if (encoded.length > buf.length) {
      flush();
      out.write(encoded);
    } else {
      ensure(encoded.length);
      System.arraycopy(encoded, 0, buf, pos, encoded.length);
      pos += encoded.length;
    }
    comma = false;
  }

  /** A field name, escaped as a string is. */
  void name(String name) throws IOException {
    separate();
    quoted(name, false);
    ensure(1);
    buf[pos++] = ':';
    comma = false;
  }

  /**
   * A field name as Jackson writes a pre-encoded ({@code SerializedString}) one, as the trace
   * JSON's attribute keys were: a surrogate pair as one 4-byte UTF-8 character, not two escapes.
   * (A lone surrogate, which Jackson refused there, is escaped as in a string.)
   */
  void encodedName(String name) throws IOException {
    separate();
    quoted(name, true);
    ensure(1);
    buf[pos++] = ':';
    comma = false;
  }

  void string(String s) throws IOException {
    separate();
    quoted(s, false);
    comma = true;
  }

  void number(long v) throws IOException {
    separate();
    digits(v);
    comma = true;
  }

  /** {@code v} in decimal in quotes, as the nanosecond timestamps are written. */
  void quotedNumber(long v) throws IOException {
    separate();
    ensure(22);
    buf[pos++] = '"';
    digits(v);
    buf[pos++] = '"';
    comma = true;
  }

  /** A finite double, as Jackson writes it ({@link Double#toString(double)}). */
  void number(double v) throws IOException {
    separate();
    ascii(Double.toString(v));
    comma = true;
  }

  void bool(boolean v) throws IOException {
    separate();
    ascii(v ? "true" : "false");
    comma = true;
  }

  void nullValue() throws IOException {
    separate();
    ascii("null");
    comma = true;
  }

  private void ascii(String s) throws IOException {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[pos++] = (byte) s.charAt(i);
    }
  }

  private void digits(long v) throws IOException {
    ensure(20);
    if (v == Long.MIN_VALUE) {
      ascii(Long.toString(v));
      return;
    }
    if (v < 0) {
      buf[pos++] = '-';
      v = -v;
    }
    int len = 1;
    for (long t = v; t >= 10; t /= 10) {
      len++;
    }
    int end = pos + len;
    int i = end;
    do {
      buf[--i] = (byte) ('0' + (int) (v % 10));
      v /= 10;
    } while (v != 0);
    pos = end;
  }

  /**
   * {@code s} in quotes; characters that are not plain ASCII take the slow path; with {@code
   * pairs}, a surrogate pair is one UTF-8 character.
   */
  private void quoted(String s, boolean pairs) throws IOException {
    int n = s.length();
    int i = 0;
    if (n + 2 <= buf.length) {
      ensure(n + 2);
      // Locals, not the fields: the profile showed this loop at 40 % of a look-up with them.
      byte[] b = buf;
      int p = pos;
      b[p++] = '"';
      for (; i < n; i++) {
        char c = s.charAt(i);
        if (c >= 128 || ESCAPES[c] != 0) {
          break;
        }
        b[p++] = (byte) c;
      }
      pos = p;
    } else {
      ensure(1);
      buf[pos++] = '"';
    }
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (pairs && Character.isHighSurrogate(c) && i + 1 < n
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        ensure(4);
        buf[pos++] = (byte) (0xf0 | (cp >> 18));
        buf[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
        buf[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
        buf[pos++] = (byte) (0x80 | (cp & 0x3f));
      } else {
        escaped(c);
      }
    }
    ensure(1);
    buf[pos++] = '"';
  }

  private void escaped(char c) throws IOException {
    ensure(6);
    if (c < 128) {
      int e = ESCAPES[c];
      if (e == 0) {
        buf[pos++] = (byte) c;
      } else if (e > 0) {
        buf[pos++] = '\\';
        buf[pos++] = (byte) e;
      } else {
        unicodeEscape(c);
      }
    } else if (c < 0x800) {
      buf[pos++] = (byte) (0xc0 | (c >> 6));
      buf[pos++] = (byte) (0x80 | (c & 0x3f));
    } else if (Character.isSurrogate(c)) {
      unicodeEscape(c);
    } else {
      buf[pos++] = (byte) (0xe0 | (c >> 12));
      buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3f));
      buf[pos++] = (byte) (0x80 | (c & 0x3f));
    }
  }

  private void unicodeEscape(char c) {
    buf[pos++] = '\\';
    buf[pos++] = 'u';
    buf[pos++] = HEX[(c >> 12) & 0xf];
    buf[pos++] = HEX[(c >> 8) & 0xf];
    buf[pos++] = HEX[(c >> 4) & 0xf];
    buf[pos++] = HEX[c & 0xf];
  }

  /** Writes what is buffered and closes the stream. */
  @Override
  public void close() throws IOException {
    try {
      flush();
    } finally {
      out.close();
    }
  }
}
