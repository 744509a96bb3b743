package dev.sextant.storage;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/** A link from a span to another span, possibly in another trace. IDs are lowercase hex. */
public record SpanLink(String traceId, String spanId, String traceState,
    Map<String, Object> attributes, int droppedAttributesCount) {
  public SpanLink {
    requireNonNull(traceId, "traceId");
    requireNonNull(spanId, "spanId");
    requireNonNull(traceState, "traceState");
    requireNonNull(attributes, "attributes");
  }
}
