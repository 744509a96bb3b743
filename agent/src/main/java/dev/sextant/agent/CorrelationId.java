package dev.sextant.agent;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Names shared by every part of the correlation ID feature, and the one way to read the ID. */
final class CorrelationId {
  /** Baggage key, span attribute, log attribute and MDC key: one name everywhere. */
  static final String KEY = "correlation_id";
  static final AttributeKey<String> ATTRIBUTE = AttributeKey.stringKey(KEY);
  static final String HEADER = "X-Correlation-ID";
  /** Longer header values are refused: an ID, not a payload, belongs in the header. */
  static final int MAX_LENGTH = 128;

  /** The correlation ID carried by {@code context}'s baggage, or {@code null}. */
  static String fromContext(Context context) {
    if (context == null) {
      return null;
    }
    return Baggage.fromContext(context).getEntryValue(KEY);
  }

  /** Whether a header value is usable as an ID: 1..128 visible ASCII characters. */
  static boolean isValid(String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        return false;
      }
    }
    return true;
  }

  /**
   * A new random (version 4) UUID as text, for a request that arrived without an ID. From {@link
   * ThreadLocalRandom}, not {@link java.util.UUID#randomUUID()}: an ID needs to be unique, not
   * unguessable, and {@code SecureRandom} costs a lock and far more CPU on every edge request.
   */
  static String random() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long msb = (random.nextLong() & ~0xf000L) | 0x4000L; // version 4
    long lsb = (random.nextLong() & ~(0xc000L << 48)) | (0x8000L << 48); // IETF variant
    return new UUID(msb, lsb).toString();
  }

  private CorrelationId() {}
}
