package dev.sextant.storage.conformance;

import dev.sextant.storage.LogRecord;
import dev.sextant.storage.LogRecordBuilder;
import dev.sextant.storage.Span;
import dev.sextant.storage.SpanBuilder;
import dev.sextant.storage.SpanKind;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Test data of the kit: random IDs and spans and log records around the current time. */
public final class Fixtures {
  /**
   * A recent time in unix nanoseconds (a minute ago, whole milliseconds): recent enough that no
   * default retention considers it expired, old enough that offsets stay in the past.
   */
  public static final long NOW = (System.currentTimeMillis() - 60_000) * 1_000_000L;

  /** Nanoseconds per millisecond, second, hour and day. */
  public static final long MS = 1_000_000L;
  public static final long SECOND = 1_000 * MS;
  public static final long HOUR = 3_600 * SECOND;
  public static final long DAY = 24 * HOUR;

  private Fixtures() {}

  /** A random valid trace ID: 32 lowercase hex characters, never all zero. */
  public static String traceId() {
    return hex(32);
  }

  /** A random valid span ID: 16 lowercase hex characters, never all zero. */
  public static String spanId() {
    return hex(16);
  }

  private static String hex(int chars) {
    StringBuilder sb = new StringBuilder("1");
    while (sb.length() < chars) {
      sb.append(Character.forDigit(ThreadLocalRandom.current().nextInt(16), 16));
    }
    return sb.toString();
  }

  /**
   * A span starting {@code startOffsetNanos} after {@link #NOW} and lasting
   * {@code durationNanos}: a server span when {@code parent} is empty, else a client span.
   */
  public static SpanBuilder span(String traceId, String spanId, String parent, String service,
      String name, long startOffsetNanos, long durationNanos) {
    return Span.builder().traceId(traceId).spanId(spanId).parentSpanId(parent)
        .serviceName(service).name(name)
        .kind(parent.isEmpty() ? SpanKind.SERVER : SpanKind.CLIENT)
        .startTimeUnixNano(NOW + startOffsetNanos)
        .endTimeUnixNano(NOW + startOffsetNanos + durationNanos)
        .resourceAttributes(Map.of("service.name", service));
  }

  /** A root span of a new trace, {@code startOffsetNanos} after {@link #NOW}. */
  public static Span root(String service, String name, long startOffsetNanos,
      long durationNanos) {
    return span(traceId(), spanId(), "", service, name, startOffsetNanos, durationNanos).build();
  }

  /** A log record of {@code service} at {@link #NOW} plus {@code offsetNanos}. */
  public static LogRecordBuilder log(String service, String body, long offsetNanos) {
    return LogRecord.builder().timeUnixNano(NOW + offsetNanos).serviceName(service).body(body);
  }
}
