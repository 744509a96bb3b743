package dev.sextant.storage;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds a {@link TraceQuery}; by default it matches every trace, newest first,
 * {@value TraceQuery#DEFAULT_LIMIT} of them.
 */
public final class TraceQueryBuilder {
  private String serviceName = "";
  private String spanName = "";
  private final Map<String, String> attributes = new LinkedHashMap<>();
  private long minDuration;
  private long maxDuration = Long.MAX_VALUE;
  private boolean errorsOnly;
  private long from;
  private long to = Long.MAX_VALUE;
  private int limit = TraceQuery.DEFAULT_LIMIT;
  private TraceQuery.Order order = TraceQuery.Order.START_DESC;

  TraceQueryBuilder() {}

  public TraceQueryBuilder serviceName(String serviceName) {
    this.serviceName = requireNonNull(serviceName, "serviceName");
    return this;
  }

  public TraceQueryBuilder spanName(String spanName) {
    this.spanName = requireNonNull(spanName, "spanName");
    return this;
  }

  /** Adds an exact {@code key=value} criterion; a second call with the same key replaces it. */
  public TraceQueryBuilder attribute(String key, String value) {
    attributes.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
    return this;
  }

  public TraceQueryBuilder minDuration(Duration minDuration) {
    this.minDuration = requireNonNull(minDuration, "minDuration").toNanos();
    return this;
  }

  public TraceQueryBuilder maxDuration(Duration maxDuration) {
    this.maxDuration = requireNonNull(maxDuration, "maxDuration").toNanos();
    return this;
  }

  public TraceQueryBuilder errorsOnly(boolean errorsOnly) {
    this.errorsOnly = errorsOnly;
    return this;
  }

  /** Span start in {@code [fromUnixNano, toUnixNano)}. */
  public TraceQueryBuilder timeRange(long fromUnixNano, long toUnixNano) {
    this.from = fromUnixNano;
    this.to = toUnixNano;
    return this;
  }

  public TraceQueryBuilder limit(int limit) {
    this.limit = limit;
    return this;
  }

  public TraceQueryBuilder order(TraceQuery.Order order) {
    this.order = requireNonNull(order, "order");
    return this;
  }

  /**
   * Builds the query.
   *
   * @throws IllegalArgumentException naming the field when one is out of range
   */
  public TraceQuery build() {
    return new TraceQuery(serviceName, spanName, attributes, minDuration, maxDuration, errorsOnly,
        from, to, limit, order);
  }
}
