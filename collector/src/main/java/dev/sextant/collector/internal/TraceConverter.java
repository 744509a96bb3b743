package dev.sextant.collector.internal;

import dev.sextant.collector.limits.IngestLimits;
import dev.sextant.storage.Ids;
import dev.sextant.storage.Span;
import dev.sextant.storage.SpanEvent;
import dev.sextant.storage.SpanKind;
import dev.sextant.storage.SpanLink;
import dev.sextant.storage.StatusCode;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Validates and converts an OTLP trace request. Invalid spans (bad IDs, end before start) are
 * rejected one by one; the rest of the request is kept, as the OTLP partial-success rules say.
 * Strings are bounded by the {@link IngestLimits}: names (span, event, service, scope) are
 * truncated, attributes with over-long keys dropped, a trace state over W3C's 512 characters
 * dropped; the first such cut is reported as a warning.
 */
public final class TraceConverter {
  private final IngestLimits limits;

  public TraceConverter(IngestLimits limits) {
    this.limits = limits;
  }

  /** W3C Trace Context: a {@code tracestate} longer than this may be discarded. */
  static final int MAX_TRACE_STATE_LENGTH = 512;

  public TraceConversion convert(ExportTraceServiceRequest request) {
    Truncations cut = new Truncations();
    OtlpAttributes attrs = new OtlpAttributes(limits, cut);
    List<Span> out = new ArrayList<>();
    long rejected = 0;
    String firstError = null;
    for (ResourceSpans rs : request.getResourceSpansList()) {
      Map<String, Object> resource = attrs.toMap(rs.getResource().getAttributesList());
      String service = OtlpAttributes.stringValue(rs.getResource().getAttributesList(),
          "service.name");
      if (service == null || service.isEmpty()) {
        service = "unknown_service";
      }
      service = cut.name("service.name", service, limits.maxNameLength());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        String scopeName = cut.name("scope name", ss.getScope().getName(),
            limits.maxNameLength());
        String scopeVersion = cut.name("scope version", ss.getScope().getVersion(),
            limits.maxNameLength());
        for (io.opentelemetry.proto.trace.v1.Span s : ss.getSpansList()) {
          String error = validate(s);
          if (error != null) {
            rejected++;
            if (firstError == null) {
              firstError = error;
            }
            continue;
          }
          out.add(toSpan(attrs, cut, s, service, resource, scopeName, scopeVersion));
        }
      }
    }
    return new TraceConversion(out, rejected, firstError, cut.first());
  }

  private static String validate(io.opentelemetry.proto.trace.v1.Span s) {
    if (!Ids.isValidTraceId(s.getTraceId().asReadOnlyByteBuffer())) {
      return "span " + describe(s) + ": trace_id must be 16 bytes and not all zero (got "
          + s.getTraceId().size() + " bytes)";
    }
    if (!Ids.isValidSpanId(s.getSpanId().asReadOnlyByteBuffer())) {
      return "span " + describe(s) + ": span_id must be 8 bytes and not all zero (got "
          + s.getSpanId().size() + " bytes)";
    }
    if (!s.getParentSpanId().isEmpty() && s.getParentSpanId().size() != 8) {
      return "span " + describe(s) + ": parent_span_id must be empty or 8 bytes (got "
          + s.getParentSpanId().size() + " bytes)";
    }
    if (s.getEndTimeUnixNano() != 0 && s.getEndTimeUnixNano() < s.getStartTimeUnixNano()) {
      return "span " + describe(s) + ": end_time_unix_nano before start_time_unix_nano";
    }
    return null;
  }

  /** A W3C trace state is a list: cut, it would not parse; over the W3C limit it is dropped. */
  private static String traceState(Truncations cut, String where, String traceState) {
    if (traceState.length() <= MAX_TRACE_STATE_LENGTH) {
      return traceState;
    }
    cut.note(where + " trace_state: " + traceState.length() + " characters (expected: <= "
        + MAX_TRACE_STATE_LENGTH + "), dropped");
    return "";
  }

  private static String describe(io.opentelemetry.proto.trace.v1.Span s) {
    return '"' + (s.getName().length() > 64 ? s.getName().substring(0, 64) + "…" : s.getName())
        + '"';
  }


  private Span toSpan(OtlpAttributes attrs, Truncations cut,
      io.opentelemetry.proto.trace.v1.Span s, String service, Map<String, Object> resource,
      String scopeName, String scopeVersion) {
    int keptEvents = Math.min(s.getEventsCount(), limits.maxEventsPerSpan());
    List<SpanEvent> events = new ArrayList<>(keptEvents);
    for (int i = 0; i < keptEvents; i++) {
      var e = s.getEvents(i);
      Map<String, Object> ea = attrs.toMap(e.getAttributesList());
      events.add(new SpanEvent(e.getTimeUnixNano(),
          cut.name("span event name", e.getName(), limits.maxNameLength()), ea,
          e.getDroppedAttributesCount() + attrs.dropped()));
    }
    int keptLinks = Math.min(s.getLinksCount(), limits.maxLinksPerSpan());
    List<SpanLink> links = new ArrayList<>(keptLinks);
    for (int i = 0; i < keptLinks; i++) {
      var l = s.getLinks(i);
      Map<String, Object> la = attrs.toMap(l.getAttributesList());
      links.add(new SpanLink(Ids.toHex(l.getTraceId().toByteArray()),
          Ids.toHex(l.getSpanId().toByteArray()), traceState(cut, "span link", l.getTraceState()),
          la,
          l.getDroppedAttributesCount() + attrs.dropped()));
    }
    Map<String, Object> spanAttrs = attrs.toMap(s.getAttributesList());
    int droppedAttrs = attrs.dropped();
    long end = s.getEndTimeUnixNano() == 0 ? s.getStartTimeUnixNano() : s.getEndTimeUnixNano();
    return Span.builder()
        .traceId(Ids.toHex(s.getTraceId().toByteArray()))
        .spanId(Ids.toHex(s.getSpanId().toByteArray()))
        .parentSpanId(s.getParentSpanId().isEmpty() ? ""
            : Ids.toHex(s.getParentSpanId().toByteArray()))
        .traceState(traceState(cut, "span", s.getTraceState()))
        .name(cut.name("span name", s.getName(), limits.maxNameLength()))
        .kind(SpanKind.fromOtlp(s.getKindValue()))
        .startTimeUnixNano(s.getStartTimeUnixNano())
        .endTimeUnixNano(end)
        .attributes(spanAttrs)
        .droppedAttributesCount(s.getDroppedAttributesCount() + droppedAttrs)
        .events(events)
        .droppedEventsCount(s.getDroppedEventsCount() + s.getEventsCount() - keptEvents)
        .links(links)
        .droppedLinksCount(s.getDroppedLinksCount() + s.getLinksCount() - keptLinks)
        .statusCode(StatusCode.fromOtlp(s.getStatus().getCodeValue()))
        .statusMessage(cut.name("span status message", s.getStatus().getMessage(),
            limits.maxAttributeValueLength()))
        .serviceName(service)
        .resourceAttributes(resource)
        .scopeName(scopeName)
        .scopeVersion(scopeVersion)
        .build();
  }
}
