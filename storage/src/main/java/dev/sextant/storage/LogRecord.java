package dev.sextant.storage;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * One log record as Sextant stores it. Times are unix nanoseconds; a record is ordered by
 * {@code timeUnixNano}, or by {@code observedTimeUnixNano} when {@code timeUnixNano} is 0 (as OTLP
 * prescribes). {@code traceId} (32) and {@code spanId} (16) are lowercase hex or empty.
 * {@code body} is text: the caller renders a non-string OTLP body as JSON. Attribute values are the
 * kinds listed in {@link Attributes}.
 *
 * @param severityNumber OTLP severity, 1 (TRACE) to 24 (FATAL4), 0 when unspecified
 */
public record LogRecord(
    long timeUnixNano,
    long observedTimeUnixNano,
    int severityNumber,
    String severityText,
    String body,
    Map<String, Object> attributes,
    String traceId,
    String spanId,
    String correlationId,
    String serviceName,
    Map<String, Object> resourceAttributes,
    String scopeName,
    int flags,
    int droppedAttributesCount) {

  /** The highest OTLP severity number (FATAL4). */
  public static final int MAX_SEVERITY = 24;

  /**
   * Checks the fields.
   *
   * @throws IllegalArgumentException when {@code severityNumber} is outside 0-24 or a time is negative
   */
  public LogRecord {
    requireNonNull(severityText, "severityText");
    requireNonNull(body, "body");
    requireNonNull(attributes, "attributes");
    requireNonNull(traceId, "traceId");
    requireNonNull(spanId, "spanId");
    requireNonNull(correlationId, "correlationId");
    requireNonNull(serviceName, "serviceName");
    requireNonNull(resourceAttributes, "resourceAttributes");
    requireNonNull(scopeName, "scopeName");
    if (severityNumber < 0 || severityNumber > MAX_SEVERITY) {
      throw new IllegalArgumentException(
          "severityNumber: " + severityNumber + " (expected: 0-" + MAX_SEVERITY + ")");
    }
    if (timeUnixNano < 0 || observedTimeUnixNano < 0) {
      throw new IllegalArgumentException("timeUnixNano: " + timeUnixNano
          + ", observedTimeUnixNano: " + observedTimeUnixNano + " (expected: >= 0)");
    }
  }

  public static LogRecordBuilder builder() {
    return new LogRecordBuilder();
  }

  /** The time the record is ordered and filtered by: the event time, else the observed time. */
  public long effectiveTimeUnixNano() {
    return timeUnixNano != 0 ? timeUnixNano : observedTimeUnixNano;
  }
}
