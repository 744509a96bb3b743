package dev.sextant.storage;

import java.util.List;
import java.util.Map;

/** Builds a {@link Span}; unset strings default to empty, collections to empty. */
public final class SpanBuilder {
  private String traceId = "";
  private String spanId = "";
  private String parentSpanId = "";
  private String traceState = "";
  private String name = "";
  private SpanKind kind = SpanKind.UNSPECIFIED;
  private long start;
  private long end;
  private Map<String, Object> attributes = Map.of();
  private int droppedAttributes;
  private List<SpanEvent> events = List.of();
  private int droppedEvents;
  private List<SpanLink> links = List.of();
  private int droppedLinks;
  private StatusCode statusCode = StatusCode.UNSET;
  private String statusMessage = "";
  private String serviceName = "unknown_service";
  private Map<String, Object> resource = Map.of();
  private String scopeName = "";
  private String scopeVersion = "";

  SpanBuilder() {}

  public SpanBuilder traceId(String v) { traceId = v; return this; }
  public SpanBuilder spanId(String v) { spanId = v; return this; }
  public SpanBuilder parentSpanId(String v) { parentSpanId = v; return this; }
  public SpanBuilder traceState(String v) { traceState = v; return this; }
  public SpanBuilder name(String v) { name = v; return this; }
  public SpanBuilder kind(SpanKind v) { kind = v; return this; }
  public SpanBuilder startTimeUnixNano(long v) { start = v; return this; }
  public SpanBuilder endTimeUnixNano(long v) { end = v; return this; }
  public SpanBuilder attributes(Map<String, Object> v) { attributes = v; return this; }
  public SpanBuilder droppedAttributesCount(int v) { droppedAttributes = v; return this; }
  public SpanBuilder events(List<SpanEvent> v) { events = v; return this; }
  public SpanBuilder droppedEventsCount(int v) { droppedEvents = v; return this; }
  public SpanBuilder links(List<SpanLink> v) { links = v; return this; }
  public SpanBuilder droppedLinksCount(int v) { droppedLinks = v; return this; }
  public SpanBuilder statusCode(StatusCode v) { statusCode = v; return this; }
  public SpanBuilder statusMessage(String v) { statusMessage = v; return this; }
  public SpanBuilder serviceName(String v) { serviceName = v; return this; }
  public SpanBuilder resourceAttributes(Map<String, Object> v) { resource = v; return this; }
  public SpanBuilder scopeName(String v) { scopeName = v; return this; }
  public SpanBuilder scopeVersion(String v) { scopeVersion = v; return this; }

  public Span build() {
    return new Span(traceId, spanId, parentSpanId, traceState, name, kind, start, end, attributes,
        droppedAttributes, events, droppedEvents, links, droppedLinks, statusCode, statusMessage,
        serviceName, resource, scopeName, scopeVersion);
  }
}
