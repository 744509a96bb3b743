package dev.sextant.collector.internal;

import com.google.protobuf.ByteString;

/** OTLP ID checks shared by the signal converters. */
final class OtlpIds {
  private OtlpIds() {}

  /** True for exactly {@code len} bytes that are not all zero (OTLP's rule for valid IDs). */
  static boolean valid(ByteString id, int len) {
    if (id.size() != len) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      if (id.byteAt(i) != 0) {
        return true;
      }
    }
    return false;
  }
}
