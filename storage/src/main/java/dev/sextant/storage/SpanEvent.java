package dev.sextant.storage;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/** A timed event inside a span. */
public record SpanEvent(long timeUnixNano, String name, Map<String, Object> attributes,
    int droppedAttributesCount) {
  public SpanEvent {
    requireNonNull(name, "name");
    requireNonNull(attributes, "attributes");
  }
}
