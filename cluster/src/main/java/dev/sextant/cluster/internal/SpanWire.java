package dev.sextant.cluster.internal;

import dev.sextant.storage.Span;
import dev.sextant.storage.SpanEvent;
import dev.sextant.storage.SpanKind;
import dev.sextant.storage.SpanLink;
import dev.sextant.storage.StatusCode;
import java.util.ArrayList;
import java.util.List;

/**
 * A span in the record format, version 1: every field of storage's {@link Span} in declaration
 * order; the end time, event times are deltas from the start (a few bytes each).
 */
public final class SpanWire {
  private static final SpanKind[] KINDS = SpanKind.values();
  private static final StatusCode[] CODES = StatusCode.values();

  private SpanWire() {}

  public static void encode(Span s, WireWriter w) {
    AttributeWire.writeId(w, s.traceId());
    AttributeWire.writeId(w, s.spanId());
    AttributeWire.writeId(w, s.parentSpanId());
    w.writeString(s.traceState());
    w.writeString(s.name());
    w.writeByte(s.kind().otlpNumber());
    w.writeFixed64(s.startTimeUnixNano());
    w.writeZigZag(s.endTimeUnixNano() - s.startTimeUnixNano());
    AttributeWire.writeMap(w, s.attributes());
    w.writeVarInt(s.droppedAttributesCount());
    w.writeVarInt(s.events().size());
    for (SpanEvent e : s.events()) {
      w.writeZigZag(e.timeUnixNano() - s.startTimeUnixNano());
      w.writeString(e.name());
      AttributeWire.writeMap(w, e.attributes());
      w.writeVarInt(e.droppedAttributesCount());
    }
    w.writeVarInt(s.droppedEventsCount());
    w.writeVarInt(s.links().size());
    for (SpanLink l : s.links()) {
      AttributeWire.writeId(w, l.traceId());
      AttributeWire.writeId(w, l.spanId());
      w.writeString(l.traceState());
      AttributeWire.writeMap(w, l.attributes());
      w.writeVarInt(l.droppedAttributesCount());
    }
    w.writeVarInt(s.droppedLinksCount());
    w.writeByte(s.statusCode().otlpNumber());
    w.writeString(s.statusMessage());
    w.writeString(s.serviceName());
    AttributeWire.writeMap(w, s.resourceAttributes());
    w.writeString(s.scopeName());
    w.writeString(s.scopeVersion());
  }

  public static Span decode(WireReader r) {
    String traceId = AttributeWire.readId(r);
    String spanId = AttributeWire.readId(r);
    String parent = AttributeWire.readId(r);
    String traceState = r.readString();
    String name = r.readString();
    SpanKind kind = KINDS[index(r.readByte(), KINDS.length, "span kind")];
    long start = r.readFixed64();
    long end = start + r.readZigZag();
    var attributes = AttributeWire.readMap(r);
    int droppedAttributes = r.readVarInt();
    int n = r.readCount(4);
    List<SpanEvent> events = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long time = start + r.readZigZag();
      events.add(new SpanEvent(time, r.readString(), AttributeWire.readMap(r), r.readVarInt()));
    }
    int droppedEvents = r.readVarInt();
    n = r.readCount(6);
    List<SpanLink> links = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      links.add(new SpanLink(AttributeWire.readId(r), AttributeWire.readId(r), r.readString(),
          AttributeWire.readMap(r), r.readVarInt()));
    }
    int droppedLinks = r.readVarInt();
    StatusCode status = CODES[index(r.readByte(), CODES.length, "status code")];
    return new Span(traceId, spanId, parent, traceState, name, kind, start, end, attributes,
        droppedAttributes, List.copyOf(events), droppedEvents, List.copyOf(links), droppedLinks,
        status, r.readString(), r.readString(), AttributeWire.readMap(r), r.readString(),
        r.readString());
  }

  static int index(int value, int size, String what) {
    if (value >= size) {
      throw new CorruptRecordException(what + " " + value + " (expected: < " + size + ")");
    }
    return value;
  }
}
