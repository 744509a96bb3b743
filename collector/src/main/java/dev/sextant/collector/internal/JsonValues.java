package dev.sextant.collector.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.sextant.collector.internal.OtlpJsonReader.BadValueException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Scalar values of protobuf's JSON mapping, as OTLP/JSON writes them: integers as numbers or
 * strings (64-bit ones usually strings), floating point as numbers or "NaN" / "Infinity" /
 * "-Infinity", enums by name or number, bytes as base64, except trace and span IDs, which are
 * hex (base64 is still taken when the value is not hex).
 */
final class JsonValues {
  private static final Set<String> ID_FIELDS = Set.of("trace_id", "span_id", "parent_span_id");
  private static final BigInteger MAX_UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  private static final int MAX_SHOWN = 64;
  private static final String LONG_MAX_DIGITS = "9223372036854775807";
  private static final String LONG_MIN_DIGITS = "9223372036854775808";

  private JsonValues() {}

  /**
   * The current token as the Java value {@code fd} takes ({@code Message.Builder.setField}), or
   * null for an enum name this version does not know (ignored, as unknown keys are).
   */
  static @Nullable Object scalar(JsonParser p, FieldDescriptor fd, String at) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
      throw bad(p, at, expected(fd));
    }
    return switch (fd.getType()) {
      case INT32, SINT32, SFIXED32 -> (int) integer(p, at, Integer.MIN_VALUE, Integer.MAX_VALUE);
      case UINT32, FIXED32 -> (int) integer(p, at, 0, 0xFFFF_FFFFL);
      case INT64, SINT64, SFIXED64 -> integer(p, at, Long.MIN_VALUE, Long.MAX_VALUE);
      case UINT64, FIXED64 -> unsigned64(p, at);
      case DOUBLE -> floating(p, at);
      case FLOAT -> (float) floating(p, at);
      case BOOL -> bool(p, at);
      case STRING -> {
        if (t != JsonToken.VALUE_STRING) {
          throw bad(p, at, "a string");
        }
        yield p.getText();
      }
      case BYTES -> bytes(p, fd, at);
      case ENUM -> enumValue(p, fd, at);
      default -> throw bad(p, at, expected(fd));
    };
  }

  private static long integer(JsonParser p, String at, long min, long max) throws IOException {
    if (fitsLong(p)) {
      return inRange(p, at, longValue(p), min, max);
    }
    BigInteger v = exactInteger(p, at);
    if (v.bitLength() > 63) {
      throw bad(p, at, "an integer from " + min + " to " + max);
    }
    return inRange(p, at, v.longValue(), min, max);
  }

  private static long unsigned64(JsonParser p, String at) throws IOException {
    if (fitsLong(p)) {
      return inRange(p, at, longValue(p), 0, Long.MAX_VALUE);
    }
    BigInteger v = exactInteger(p, at);
    if (v.signum() < 0 || v.compareTo(MAX_UINT64) > 0) {
      throw bad(p, at, "an integer from 0 to " + MAX_UINT64);
    }
    return v.longValue();
  }

  private static long inRange(JsonParser p, String at, long v, long min, long max)
      throws IOException {
    if (v < min || v > max) {
      throw bad(p, at, "an integer from " + min + " to " + max);
    }
    return v;
  }

  /**
   * Whether the current token is one of the common cases {@link #longValue} reads without
   * BigInteger: a JSON integer that fits a long, or a string {@link Long#parseLong} takes. Asked
   * apart from reading so the hot path boxes nothing.
   */
  private static boolean fitsLong(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NUMBER_INT) {
      return p.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
    }
    // "1e3", " 5", beyond a long: the exact path decides
    return t == JsonToken.VALUE_STRING && isLongText(p.getText());
  }

  /** The value of a token {@link #fitsLong} took. */
  private static long longValue(JsonParser p) throws IOException {
    return p.currentToken() == JsonToken.VALUE_NUMBER_INT ? p.getLongValue()
        : Long.parseLong(p.getText());
  }

  /**
   * Exactly the texts {@link Long#parseLong} takes (an optional sign, then decimal digits as
   * {@link Character#digit} reads them, leading zeros included, within a long's range), checked
   * without throwing, since a miss is not exceptional here.
   */
  static boolean isLongText(String s) {
    int n = s.length();
    int i = 0;
    boolean negative = false;
    if (n > 0 && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      negative = s.charAt(0) == '-';
      i = 1;
    }
    if (i == n) {
      return false;
    }
    for (; i < n && Character.digit(s.charAt(i), 10) == 0; i++) {
      // leading zeros do not count towards the range
    }
    int first = i;
    for (; i < n; i++) {
      if (Character.digit(s.charAt(i), 10) < 0) {
        return false;
      }
    }
    int digits = n - first;
    if (digits != LONG_MAX_DIGITS.length()) {
      return digits < LONG_MAX_DIGITS.length();
    }
    // As many digits as the limit: compare them with it, digit by digit.
    String limit = negative ? LONG_MIN_DIGITS : LONG_MAX_DIGITS;
    for (int k = 0; k < digits; k++) {
      int d = Character.digit(s.charAt(first + k), 10);
      int l = limit.charAt(k) - '0';
      if (d != l) {
        return d < l;
      }
    }
    return true;
  }

  /** A JSON number or a string holding one, with no fraction ("1e3" and "5.0" are integers). */
  private static BigInteger exactInteger(JsonParser p, String at) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NUMBER_INT) {
      return p.getBigIntegerValue();
    }
    if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_STRING) {
      throw bad(p, at, "an integer");
    }
    String text = p.getText().trim();
    if (text.length() > 400) { // BigDecimal's cost grows with the digits and the exponent
      throw bad(p, at, "an integer");
    }
    try {
      BigDecimal d = new BigDecimal(text);
      if (Math.abs(d.scale()) > 400) { // 1e-999999999 would compute 10^999999999 to check
        throw bad(p, at, "an integer");
      }
      return d.toBigIntegerExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw bad(p, at, "an integer");
    }
  }

  private static double floating(JsonParser p, String at) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      double d = p.getDoubleValue();
      if (Double.isInfinite(d)) {
        throw bad(p, at, "a number within a double's range");
      }
      return d;
    }
    if (t != JsonToken.VALUE_STRING) {
      throw bad(p, at, "a number");
    }
    String text = p.getText();
    switch (text) {
      case "NaN":
        return Double.NaN;
      case "Infinity":
        return Double.POSITIVE_INFINITY;
      case "-Infinity":
        return Double.NEGATIVE_INFINITY;
      default:
        try {
          double d = Double.parseDouble(text);
          if (Double.isInfinite(d) || Double.isNaN(d)) {
            throw bad(p, at, "a number");
          }
          return d;
        } catch (NumberFormatException e) {
          throw bad(p, at, "a number");
        }
    }
  }

  private static boolean bool(JsonParser p, String at) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
      return t == JsonToken.VALUE_TRUE;
    }
    if (t == JsonToken.VALUE_STRING && (p.getText().equals("true")
        || p.getText().equals("false"))) {
      return p.getText().equals("true");
    }
    throw bad(p, at, "true or false");
  }

  private static ByteString bytes(JsonParser p, FieldDescriptor fd, String at)
      throws IOException {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw bad(p, at, "a string");
    }
    String text = p.getText();
    if (ID_FIELDS.contains(fd.getName())) {
      byte[] hex = hex(text);
      if (hex != null) {
        return ByteString.copyFrom(hex);
      }
    }
    try {
      return ByteString.copyFrom(text.indexOf('-') >= 0 || text.indexOf('_') >= 0
          ? Base64.getUrlDecoder().decode(text) : Base64.getDecoder().decode(text));
    } catch (IllegalArgumentException e) {
      throw bad(p, at, ID_FIELDS.contains(fd.getName()) ? "hex" : "base64");
    }
  }

  private static byte @Nullable [] hex(String s) {
    if (s.isEmpty() || s.length() % 2 != 0) {
      return null;
    }
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = Character.digit(s.charAt(2 * i), 16);
      int lo = Character.digit(s.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        return null;
      }
      out[i] = (byte) (hi << 4 | lo);
    }
    return out;
  }

  private static @Nullable EnumValueDescriptor enumValue(JsonParser p, FieldDescriptor fd,
      String at) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_STRING) {
      return fd.getEnumType().findValueByName(p.getText());
    }
    long n = integer(p, at, Integer.MIN_VALUE, Integer.MAX_VALUE);
    return fd.getEnumType().findValueByNumberCreatingIfUnknown((int) n);
  }

  private static String expected(FieldDescriptor fd) {
    return switch (fd.getJavaType()) {
      case INT, LONG -> "an integer";
      case FLOAT, DOUBLE -> "a number";
      case BOOLEAN -> "true or false";
      case STRING, BYTE_STRING -> "a string";
      case ENUM -> "an enum name or number";
      case MESSAGE -> "an object";
    };
  }

  private static BadValueException bad(JsonParser p, String at, String expected)
      throws IOException {
    return new BadValueException(at + ": " + OtlpJsonReader.found(p) + " (expected: " + expected
        + ")");
  }

  /** {@code s}, cut for an error message. */
  static String cut(String s) {
    return s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN) + "...";
  }
}
