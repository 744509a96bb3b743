package dev.sextant.collector.zipkin;

import dev.sextant.storage.Ids;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Zipkin's ID rules onto storage's: Zipkin writes 64-bit trace IDs as 16 hex characters and
 * allows leading zeros to be dropped, so IDs shorter than storage's are left-padded with zeros
 * (a 64-bit trace ID becomes the same 128-bit ID the Jaeger API looks up). All-zero IDs are
 * invalid, as in OTLP; an all-zero or empty parent ID means a root span.
 */
final class ZipkinIds {
  private ZipkinIds() {}

  static String traceId(String field, @Nullable String hex) throws ZipkinFormatException {
    String padded = hex == null ? null : Ids.padTraceId(hex);
    if (padded == null) {
      throw new ZipkinFormatException(field + ": " + quote(hex)
          + " (expected: 16 or 32 hex characters, not all zero)");
    }
    return padded;
  }

  static String spanId(String field, @Nullable String hex) throws ZipkinFormatException {
    String padded = hex == null || hex.isEmpty() || hex.length() > 16 ? null
        : "0".repeat(16 - hex.length()) + hex.toLowerCase(Locale.ROOT);
    if (padded == null || !Ids.isValidSpanId(padded)) {
      throw new ZipkinFormatException(field + ": " + quote(hex)
          + " (expected: 16 hex characters, not all zero)");
    }
    return padded;
  }

  /** Null for a root span (absent, empty or all zero). */
  static @Nullable String parentId(String field, @Nullable String hex)
      throws ZipkinFormatException {
    if (hex == null || hex.isEmpty() || hex.chars().allMatch(c -> c == '0')) {
      return null;
    }
    return spanId(field, hex);
  }

  static String traceId(String field, byte[] bytes) throws ZipkinFormatException {
    if ((bytes.length != 8 && bytes.length != 16) || Ids.isAllZero(bytes)) {
      throw new ZipkinFormatException(field + ": " + bytes.length + " bytes"
          + (bytes.length == 8 || bytes.length == 16 ? ", all zero" : "")
          + " (expected: 8 or 16 bytes, not all zero)");
    }
    return traceId(field, Ids.toHex(bytes));
  }

  static String spanId(String field, byte[] bytes) throws ZipkinFormatException {
    if (bytes.length != 8 || Ids.isAllZero(bytes)) {
      throw new ZipkinFormatException(field + ": " + bytes.length + " bytes"
          + (bytes.length == 8 ? ", all zero" : "") + " (expected: 8 bytes, not all zero)");
    }
    return Ids.toHex(bytes);
  }

  static @Nullable String parentId(String field, byte[] bytes) throws ZipkinFormatException {
    return bytes.length == 0 || Ids.isAllZero(bytes) && bytes.length == 8 ? null
        : spanId(field, bytes);
  }

  /** A value for an error message: quoted, at most 64 characters. */
  static String quote(@Nullable String value) {
    if (value == null) {
      return "null";
    }
    return "'" + (value.length() <= 64 ? value : value.substring(0, 64) + "...") + "'";
  }
}
