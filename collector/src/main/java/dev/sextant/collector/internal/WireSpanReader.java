package dev.sextant.collector.internal;

import static dev.sextant.collector.internal.WireReads.BAIL;
import static dev.sextant.collector.internal.WireReads.FIXED32;
import static dev.sextant.collector.internal.WireReads.FIXED64;
import static dev.sextant.collector.internal.WireReads.LEN;
import static dev.sextant.collector.internal.WireReads.NO_BYTES;
import static dev.sextant.collector.internal.WireReads.VARINT;
import static dev.sextant.collector.internal.WireReads.end;
import static dev.sextant.collector.internal.WireReads.expect;
import static dev.sextant.collector.internal.WireReads.skip;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.sextant.collector.limits.IngestLimits;
import dev.sextant.storage.Ids;
import dev.sextant.storage.Span;
import dev.sextant.storage.SpanEvent;
import dev.sextant.storage.SpanKind;
import dev.sextant.storage.SpanLink;
import dev.sextant.storage.StatusCode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads one OTLP {@code Span} message off the wire into the store's {@link Span}, with
 * {@link TraceConverter}'s validation, limits and messages; {@link TraceWireDecoder} calls it for
 * each span of a request.
 */
final class WireSpanReader {
  private final IngestLimits limits;
  private final WireAttributes attributes;
  // Out-parameters of status(), and the last span's rejection.
  private int statusCode;
  private String statusMessage = "";
  private @Nullable String error;

  WireSpanReader(IngestLimits limits, WireAttributes attributes) {
    this.limits = limits;
    this.attributes = attributes;
  }

  /** Why the span {@link #read} returned null for was rejected. */
  @Nullable String lastError() {
    return error;
  }

  /** A scope or event name as the converter keeps it; longer ones take the old path. */
  static String checkName(String s, IngestLimits limits) {
    if (s.length() > limits.maxNameLength()) {
      throw BAIL;
    }
    return s;
  }

  /**
   * Reads one Span message (the stream is limited to it): the span, or null when it is invalid,
   * with the reason in {@link #lastError()}.
   */
  @Nullable Span read(CodedInputStream in, String service, Map<String, Object> resource,
      String scopeName, String scopeVersion) throws IOException {
    error = null;
    byte[] traceId = NO_BYTES;
    byte[] spanId = NO_BYTES;
    byte[] parent = NO_BYTES;
    String traceState = "";
    String name = "";
    int kind = 0;
    long start = 0;
    long end = 0;
    WireAttributes.Attrs attrs = new WireAttributes.Attrs();
    int droppedAttrs = 0;
    List<SpanEvent> events = null;
    int eventCount = 0;
    int droppedEvents = 0;
    List<SpanLink> links = null;
    int linkCount = 0;
    int droppedLinks = 0;
    boolean seenStatus = false;
    statusCode = 0;
    statusMessage = "";
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> {
          expect(tag, LEN);
          traceId = in.readByteArray();
        }
        case 2 -> {
          expect(tag, LEN);
          spanId = in.readByteArray();
        }
        case 3 -> {
          expect(tag, LEN);
          traceState = in.readStringRequireUtf8();
        }
        case 4 -> {
          expect(tag, LEN);
          parent = in.readByteArray();
        }
        case 5 -> {
          expect(tag, LEN);
          name = in.readStringRequireUtf8();
        }
        case 6 -> {
          expect(tag, VARINT);
          kind = in.readEnum();
        }
        case 7 -> {
          expect(tag, FIXED64);
          start = in.readFixed64();
        }
        case 8 -> {
          expect(tag, FIXED64);
          end = in.readFixed64();
        }
        case 9 -> {
          expect(tag, LEN);
          attributes.read(in, attrs);
        }
        case 10 -> {
          expect(tag, VARINT);
          droppedAttrs = in.readUInt32();
        }
        case 11 -> {
          expect(tag, LEN);
          int old = in.pushLimit(in.readRawVarint32());
          boolean keep = eventCount < limits.maxEventsPerSpan();
          SpanEvent e = event(in, keep);
          end(in, old);
          if (keep) {
            if (events == null) {
              events = new ArrayList<>();
            }
            events.add(e);
          }
          eventCount++;
        }
        case 12 -> {
          expect(tag, VARINT);
          droppedEvents = in.readUInt32();
        }
        case 13 -> {
          expect(tag, LEN);
          int old = in.pushLimit(in.readRawVarint32());
          boolean keep = linkCount < limits.maxLinksPerSpan();
          SpanLink l = link(in, keep);
          end(in, old);
          if (keep) {
            if (links == null) {
              links = new ArrayList<>();
            }
            links.add(l);
          }
          linkCount++;
        }
        case 14 -> {
          expect(tag, VARINT);
          droppedLinks = in.readUInt32();
        }
        case 15 -> {
          expect(tag, LEN);
          if (seenStatus) {
            throw BAIL;
          }
          seenStatus = true;
          int old = in.pushLimit(in.readRawVarint32());
          status(in);
          end(in, old);
        }
        case 16 -> {
          expect(tag, FIXED32);
          in.readFixed32();
        }
        default -> skip(in, tag);
      }
    }
    error = validate(traceId, spanId, parent, start, end, name);
    if (error != null) {
      return null;
    }
    if (traceState.length() > TraceConverter.MAX_TRACE_STATE_LENGTH
        || name.length() > limits.maxNameLength()
        || statusMessage.length() > limits.maxAttributeValueLength()) {
      throw BAIL;
    }
    int keptEvents = Math.min(eventCount, limits.maxEventsPerSpan());
    int keptLinks = Math.min(linkCount, limits.maxLinksPerSpan());
    return Span.builder()
        .traceId(Ids.toHex(traceId))
        .spanId(Ids.toHex(spanId))
        .parentSpanId(parent.length == 0 ? "" : Ids.toHex(parent))
        .traceState(traceState)
        .name(name)
        .kind(SpanKind.fromOtlp(kind))
        .startTimeUnixNano(start)
        .endTimeUnixNano(end == 0 ? start : end)
        .attributes(attrs.map())
        .droppedAttributesCount(droppedAttrs + attrs.dropped)
        .events(events == null ? List.of() : events)
        .droppedEventsCount(droppedEvents + eventCount - keptEvents)
        .links(links == null ? List.of() : links)
        .droppedLinksCount(droppedLinks + linkCount - keptLinks)
        .statusCode(StatusCode.fromOtlp(statusCode))
        .statusMessage(statusMessage)
        .serviceName(service)
        .resourceAttributes(resource)
        .scopeName(scopeName)
        .scopeVersion(scopeVersion)
        .build();
  }

  /** {@link TraceConverter}'s checks and messages. */
  private static @Nullable String validate(byte[] traceId, byte[] spanId, byte[] parent,
      long start, long end, String name) {
    if (traceId.length != 16 || Ids.isAllZero(traceId)) {
      return "span " + describe(name) + ": trace_id must be 16 bytes and not all zero (got "
          + traceId.length + " bytes)";
    }
    if (spanId.length != 8 || Ids.isAllZero(spanId)) {
      return "span " + describe(name) + ": span_id must be 8 bytes and not all zero (got "
          + spanId.length + " bytes)";
    }
    if (parent.length != 0 && parent.length != 8) {
      return "span " + describe(name) + ": parent_span_id must be empty or 8 bytes (got "
          + parent.length + " bytes)";
    }
    if (end != 0 && end < start) {
      return "span " + describe(name) + ": end_time_unix_nano before start_time_unix_nano";
    }
    return null;
  }

  private static String describe(String name) {
    return '"' + (name.length() > 64 ? name.substring(0, 64) + "…" : name) + '"';
  }

  private @Nullable SpanEvent event(CodedInputStream in, boolean keep) throws IOException {
    long time = 0;
    String name = "";
    WireAttributes.Attrs attrs = keep ? new WireAttributes.Attrs() : null;
    int dropped = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> {
          expect(tag, FIXED64);
          time = in.readFixed64();
        }
        case 2 -> {
          expect(tag, LEN);
          name = in.readStringRequireUtf8();
        }
        case 3 -> {
          expect(tag, LEN);
          attributes.read(in, attrs);
        }
        case 4 -> {
          expect(tag, VARINT);
          dropped = in.readUInt32();
        }
        default -> skip(in, tag);
      }
    }
    if (attrs == null) {
      return null;
    }
    return new SpanEvent(time, checkName(name, limits), attrs.map(), dropped + attrs.dropped);
  }

  private @Nullable SpanLink link(CodedInputStream in, boolean keep) throws IOException {
    byte[] traceId = NO_BYTES;
    byte[] spanId = NO_BYTES;
    String traceState = "";
    WireAttributes.Attrs attrs = keep ? new WireAttributes.Attrs() : null;
    int dropped = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> {
          expect(tag, LEN);
          traceId = in.readByteArray();
        }
        case 2 -> {
          expect(tag, LEN);
          spanId = in.readByteArray();
        }
        case 3 -> {
          expect(tag, LEN);
          traceState = in.readStringRequireUtf8();
        }
        case 4 -> {
          expect(tag, LEN);
          attributes.read(in, attrs);
        }
        case 5 -> {
          expect(tag, VARINT);
          dropped = in.readUInt32();
        }
        case 6 -> {
          expect(tag, FIXED32);
          in.readFixed32();
        }
        default -> skip(in, tag);
      }
    }
    if (attrs == null) {
      return null;
    }
    if (traceState.length() > TraceConverter.MAX_TRACE_STATE_LENGTH) {
      throw BAIL;
    }
    return new SpanLink(Ids.toHex(traceId), Ids.toHex(spanId), traceState, attrs.map(),
        dropped + attrs.dropped);
  }

  private void status(CodedInputStream in) throws IOException {
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 2 -> {
          expect(tag, LEN);
          statusMessage = in.readStringRequireUtf8();
        }
        case 3 -> {
          expect(tag, VARINT);
          statusCode = in.readEnum();
        }
        default -> skip(in, tag);
      }
    }
  }
}
