package dev.sextant.storage;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * Criteria of a trace search. A trace matches when one of its spans meets every span criterion at
 * once (service, span name, attributes, duration, error status, start time), as in Jaeger. Build
 * with {@link #builder()}.
 *
 * @param serviceName exact service name of the span, or empty for any
 * @param spanName exact span name, or empty for any
 * @param attributes exact {@code key=value} pairs on the span's own or resource attributes, all on
 *     the same span; non-string values match their text form ({@code 200}, {@code true})
 * @param minDurationNanos inclusive lower bound of the span's duration
 * @param maxDurationNanos inclusive upper bound of the span's duration
 * @param errorsOnly only spans with status {@link StatusCode#ERROR}
 * @param fromUnixNano inclusive lower bound of the span's start time
 * @param toUnixNano exclusive upper bound of the span's start time
 * @param limit most traces returned, 1-{@value #MAX_LIMIT}
 * @param order how results are sorted
 */
public record TraceQuery(
    String serviceName,
    String spanName,
    Map<String, String> attributes,
    long minDurationNanos,
    long maxDurationNanos,
    boolean errorsOnly,
    long fromUnixNano,
    long toUnixNano,
    int limit,
    Order order) {

  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 1000;

  /** Result order. */
  public enum Order {
    /** Newest trace start first. */
    START_DESC,
    /** Longest trace first. */
    DURATION_DESC
  }

  /**
   * Checks the criteria.
   *
   * @throws IllegalArgumentException naming the field when one is out of range
   */
  public TraceQuery {
    requireNonNull(serviceName, "serviceName");
    requireNonNull(spanName, "spanName");
    attributes = Map.copyOf(requireNonNull(attributes, "attributes"));
    requireNonNull(order, "order");
    if (minDurationNanos < 0) {
      throw new IllegalArgumentException(
          "minDurationNanos: " + minDurationNanos + " (expected: >= 0)");
    }
    if (maxDurationNanos < minDurationNanos) {
      throw new IllegalArgumentException("maxDurationNanos: " + maxDurationNanos
          + " (expected: >= minDurationNanos " + minDurationNanos + ")");
    }
    if (fromUnixNano > toUnixNano) {
      throw new IllegalArgumentException("toUnixNano: " + toUnixNano + " (expected: >= fromUnixNano "
          + fromUnixNano + ")");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit: " + limit + " (expected: 1-" + MAX_LIMIT + ")");
    }
  }

  public static TraceQueryBuilder builder() {
    return new TraceQueryBuilder();
  }
}
