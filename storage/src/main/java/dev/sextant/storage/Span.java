package dev.sextant.storage;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * One span as Sextant stores it. IDs are lowercase hex: trace 32 characters, span 16,
 * {@code parentSpanId} empty for a root. Times are unix nanoseconds. {@code serviceName} is the
 * resource's {@code service.name} (or {@code "unknown_service"}).
 */
public record Span(
    String traceId,
    String spanId,
    String parentSpanId,
    String traceState,
    String name,
    SpanKind kind,
    long startTimeUnixNano,
    long endTimeUnixNano,
    Map<String, Object> attributes,
    int droppedAttributesCount,
    List<SpanEvent> events,
    int droppedEventsCount,
    List<SpanLink> links,
    int droppedLinksCount,
    StatusCode statusCode,
    String statusMessage,
    String serviceName,
    Map<String, Object> resourceAttributes,
    String scopeName,
    String scopeVersion) {

  public Span {
    requireNonNull(traceId, "traceId");
    requireNonNull(spanId, "spanId");
    requireNonNull(parentSpanId, "parentSpanId");
    requireNonNull(traceState, "traceState");
    requireNonNull(name, "name");
    requireNonNull(kind, "kind");
    requireNonNull(attributes, "attributes");
    requireNonNull(events, "events");
    requireNonNull(links, "links");
    requireNonNull(statusCode, "statusCode");
    requireNonNull(statusMessage, "statusMessage");
    requireNonNull(serviceName, "serviceName");
    requireNonNull(resourceAttributes, "resourceAttributes");
    requireNonNull(scopeName, "scopeName");
    requireNonNull(scopeVersion, "scopeVersion");
  }

  public static SpanBuilder builder() {
    return new SpanBuilder();
  }

  public long durationNanos() {
    return endTimeUnixNano - startTimeUnixNano;
  }

  public boolean isRoot() {
    return parentSpanId.isEmpty();
  }
}
