package dev.sextant.storage;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * Criteria of a log search; every set criterion must match. Build with {@link #builder()}.
 *
 * @param text full-text query on the body: words must all occur (any case), {@code "a phrase"},
 *     {@code -excluded}, {@code a | b}, {@code prefix*}; empty matches every record
 * @param minSeverity lowest OTLP severity number (1-24) to return; 0 returns every record,
 *     including those with no severity
 * @param serviceName exact service name, or empty for any
 * @param traceId 32 hex characters, or empty for any
 * @param spanId 16 hex characters, or empty for any
 * @param correlationId exact correlation ID, or empty for any
 * @param attributes exact {@code key=value} pairs on record or resource attributes, all must
 *     match; non-string values match their text form ({@code 200}, {@code true}, {@code 2.5})
 * @param fromUnixNano inclusive lower bound of the record time
 * @param toUnixNano exclusive upper bound of the record time
 * @param limit records per page, 1-{@value #MAX_LIMIT}
 * @param cursor {@link LogPage#nextCursor()} of the previous page, or empty for the first page
 */
public record LogQuery(
    String text,
    int minSeverity,
    String serviceName,
    String traceId,
    String spanId,
    String correlationId,
    Map<String, String> attributes,
    long fromUnixNano,
    long toUnixNano,
    int limit,
    String cursor) {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 10_000;

  /**
   * Checks the criteria.
   *
   * @throws IllegalArgumentException naming the field when one is out of range
   */
  public LogQuery {
    requireNonNull(text, "text");
    requireNonNull(serviceName, "serviceName");
    requireNonNull(traceId, "traceId");
    requireNonNull(spanId, "spanId");
    requireNonNull(correlationId, "correlationId");
    attributes = Map.copyOf(requireNonNull(attributes, "attributes"));
    requireNonNull(cursor, "cursor");
    if (minSeverity < 0 || minSeverity > LogRecord.MAX_SEVERITY) {
      throw new IllegalArgumentException(
          "minSeverity: " + minSeverity + " (expected: 0-" + LogRecord.MAX_SEVERITY + ")");
    }
    if (!traceId.isEmpty() && !Ids.isValidTraceId(traceId)) {
      throw new IllegalArgumentException("traceId: " + traceId + " (expected: 32 hex characters)");
    }
    if (!spanId.isEmpty() && !Ids.isValidSpanId(spanId)) {
      throw new IllegalArgumentException("spanId: " + spanId + " (expected: 16 hex characters)");
    }
    if (fromUnixNano > toUnixNano) {
      throw new IllegalArgumentException("toUnixNano: " + toUnixNano + " (expected: >= fromUnixNano "
          + fromUnixNano + ")");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit: " + limit + " (expected: 1-" + MAX_LIMIT + ")");
    }
  }

  public static LogQueryBuilder builder() {
    return new LogQueryBuilder();
  }
}
