package dev.sextant.storage;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Builds a {@link LogQuery}; by default it matches every record, {@value LogQuery#DEFAULT_LIMIT} a page. */
public final class LogQueryBuilder {
  private String text = "";
  private int minSeverity;
  private String serviceName = "";
  private String traceId = "";
  private String spanId = "";
  private String correlationId = "";
  private final Map<String, String> attributes = new LinkedHashMap<>();
  private long from = 0;
  private long to = Long.MAX_VALUE;
  private int limit = LogQuery.DEFAULT_LIMIT;
  private String cursor = "";

  LogQueryBuilder() {}

  /** Full-text query on the body; see {@link LogQuery#text()}. */
  public LogQueryBuilder text(String text) {
    this.text = requireNonNull(text, "text");
    return this;
  }

  /** Lowest severity number to return, 1-24. */
  public LogQueryBuilder minSeverity(int severityNumber) {
    this.minSeverity = severityNumber;
    return this;
  }

  public LogQueryBuilder serviceName(String serviceName) {
    this.serviceName = requireNonNull(serviceName, "serviceName");
    return this;
  }

  /** Only records of this trace (either case). */
  public LogQueryBuilder traceId(String traceId) {
    this.traceId = requireNonNull(traceId, "traceId").toLowerCase(Locale.ROOT);
    return this;
  }

  /** Only records of this span (either case). */
  public LogQueryBuilder spanId(String spanId) {
    this.spanId = requireNonNull(spanId, "spanId").toLowerCase(Locale.ROOT);
    return this;
  }

  public LogQueryBuilder correlationId(String correlationId) {
    this.correlationId = requireNonNull(correlationId, "correlationId");
    return this;
  }

  /** Adds an exact {@code key=value} criterion; a second call with the same key replaces it. */
  public LogQueryBuilder attribute(String key, String value) {
    attributes.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
    return this;
  }

  /** Record time in {@code [fromUnixNano, toUnixNano)}. */
  public LogQueryBuilder timeRange(long fromUnixNano, long toUnixNano) {
    this.from = fromUnixNano;
    this.to = toUnixNano;
    return this;
  }

  public LogQueryBuilder limit(int limit) {
    this.limit = limit;
    return this;
  }

  /** Continues after the page that returned this cursor; empty starts at the newest record. */
  public LogQueryBuilder cursor(String cursor) {
    this.cursor = requireNonNull(cursor, "cursor");
    return this;
  }

  /**
   * Builds the query.
   *
   * @throws IllegalArgumentException naming the field when one is out of range
   */
  public LogQuery build() {
    return new LogQuery(text, minSeverity, serviceName, traceId, spanId, correlationId, attributes,
        from, to, limit, cursor);
  }
}
