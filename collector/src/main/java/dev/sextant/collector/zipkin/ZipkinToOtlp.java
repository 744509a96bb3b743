package dev.sextant.collector.zipkin;

import com.google.protobuf.ByteString;
import dev.sextant.storage.Ids;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Maps Zipkin spans to one OTLP trace request (docs/zipkin.md has the table): spans are grouped
 * into one resource per {@code localEndpoint.serviceName}, tags become attributes, the remote
 * endpoint becomes OpenTelemetry's peer attributes, the {@code error} tag the error status,
 * annotations span events.
 *
 * <p>Shared spans: a Zipkin server that joins its caller's span reports it under the caller's
 * span ID with {@code shared: true}, and storage keys spans by trace and span ID, so the two
 * halves would overwrite each other. As Jaeger does when it reads such a trace (its span ID
 * deduper), the server half gets a span ID of its own and the client half becomes its parent.
 * The new ID is derived from the shared one by a fixed function, so a retried request stores the
 * same span again instead of a copy.
 */
final class ZipkinToOtlp {
  private ZipkinToOtlp() {}

  static ZipkinSpans.Decoded map(List<ZipkinSpan> spans) {
    Map<String, ScopeSpans.Builder> byService = new LinkedHashMap<>();
    long rejected = 0;
    String firstError = null;
    for (int i = 0; i < spans.size(); i++) {
      ZipkinSpan z = spans.get(i);
      String error = timeError(z, "spans[" + i + "]");
      if (error != null) {
        rejected++;
        firstError = firstError == null ? error : firstError;
        continue;
      }
      String service = z.localEndpoint() == null ? "" : z.localEndpoint().serviceName();
      byService.computeIfAbsent(service, s -> ScopeSpans.newBuilder()).addSpans(span(z));
    }
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    byService.forEach((service, scope) -> {
      Resource.Builder resource = Resource.newBuilder();
      if (!service.isEmpty()) {
        resource.addAttributes(string("service.name", service));
      }
      request.addResourceSpans(ResourceSpans.newBuilder().setResource(resource)
          .addScopeSpans(scope));
    });
    return new ZipkinSpans.Decoded(request.build(), rejected, firstError);
  }

  /** Storage places spans in time blocks: a span must have a start time to be stored. */
  private static @Nullable String timeError(ZipkinSpan z, String at) {
    long start = startMicros(z);
    if (start == 0) {
      return at + ".timestamp: missing, and no annotation has one (expected: epoch"
          + " microseconds); span dropped";
    }
    if (start > MAX_MICROS || z.duration() > MAX_MICROS - start) {
      return at + ".timestamp: " + start + " + duration " + z.duration()
          + " (expected: epoch microseconds before the year 2262); span dropped";
    }
    return null;
  }

  /** Nanoseconds since the epoch fit a long until 2262. */
  private static final long MAX_MICROS = Long.MAX_VALUE / 1000;

  /** The timestamp, or when it is absent (late data) the earliest annotation's. */
  private static long startMicros(ZipkinSpan z) {
    if (z.timestamp() > 0) {
      return z.timestamp();
    }
    long min = 0;
    for (ZipkinSpan.Annotation a : z.annotations()) {
      if (a.timestamp() > 0 && (min == 0 || a.timestamp() < min)) {
        min = a.timestamp();
      }
    }
    return min;
  }

  private static Span span(ZipkinSpan z) {
    long start = startMicros(z) * 1000;
    Span.Builder s = Span.newBuilder()
        .setTraceId(ByteString.copyFrom(Ids.fromHex(z.traceId())))
        .setName(z.name())
        .setKind(kind(z.kind()))
        .setStartTimeUnixNano(start)
        .setEndTimeUnixNano(start + z.duration() * 1000)
        .setDroppedAttributesCount(z.droppedTags())
        .setDroppedEventsCount(z.droppedAnnotations());
    if (z.shared()) {
      s.setSpanId(ByteString.copyFrom(Ids.fromHex(sharedSpanId(z.id()))))
          .setParentSpanId(ByteString.copyFrom(Ids.fromHex(z.id())));
    } else {
      s.setSpanId(ByteString.copyFrom(Ids.fromHex(z.id())));
      if (z.parentId() != null) {
        s.setParentSpanId(ByteString.copyFrom(Ids.fromHex(z.parentId())));
      }
    }
    status(z.tags(), s);
    // Endpoint attributes first: a tag of the same name comes later and wins.
    ZipkinEndpoints.addAttributes(z, s);
    for (Map.Entry<String, String> tag : z.tags().entrySet()) {
      if (!STATUS_TAGS.contains(tag.getKey())) {
        s.addAttributes(string(tag.getKey(), tag.getValue()));
      }
    }
    if (z.debug()) {
      s.addAttributes(bool("zipkin.debug"));
    }
    if (z.shared()) {
      s.addAttributes(bool("zipkin.shared"));
    }
    for (ZipkinSpan.Annotation a : z.annotations()) {
      s.addEventsBuilder().setTimeUnixNano(a.timestamp() > 0 && a.timestamp() <= MAX_MICROS
          ? a.timestamp() * 1000 : start).setName(a.value());
    }
    return s.build();
  }

  private static final List<String> STATUS_TAGS = List.of("error", "otel.status_code",
      "otel.status_description");

  /**
   * Brave and most Zipkin tracers tag a failed span {@code error} with the message (or an empty
   * string); OpenTelemetry's Zipkin exporter writes {@code otel.status_code} and
   * {@code otel.status_description}. Both become the span status, not attributes.
   */
  private static void status(Map<String, String> tags, Span.Builder s) {
    String error = tags.get("error");
    String otelCode = tags.get("otel.status_code");
    String description = tags.get("otel.status_description");
    if (error != null || "ERROR".equals(otelCode)) {
      String message = description != null ? description
          : error == null || error.equals("true") ? "" : error;
      s.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR)
          .setMessage(message));
    } else if ("OK".equals(otelCode)) {
      s.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK));
    }
  }

  private static Span.SpanKind kind(ZipkinSpan.@Nullable Kind kind) {
    if (kind == null) {
      return Span.SpanKind.SPAN_KIND_INTERNAL; // Zipkin: no kind is a local span
    }
    return switch (kind) {
      case CLIENT -> Span.SpanKind.SPAN_KIND_CLIENT;
      case SERVER -> Span.SpanKind.SPAN_KIND_SERVER;
      case PRODUCER -> Span.SpanKind.SPAN_KIND_PRODUCER;
      case CONSUMER -> Span.SpanKind.SPAN_KIND_CONSUMER;
    };
  }

  /**
   * The span ID a shared (server) half is stored under: MurmurHash3's 64-bit finalizer, a
   * bijection, over the shared ID mixed with a constant, so different shared IDs never map to
   * the same ID, and a derived ID equals some other random span ID of the trace only with odds
   * of about 2^-64 per pair.
   */
  static String sharedSpanId(String spanId) {
    long x = Long.parseUnsignedLong(spanId, 16) ^ 0x5a69706b696e5348L; // "ZipkinSH"
    x = (x ^ (x >>> 33)) * 0xff51afd7ed558ccdL;
    x = (x ^ (x >>> 33)) * 0xc4ceb9fe1a85ec53L;
    x ^= x >>> 33;
    return String.format(Locale.ROOT, "%016x", x == 0 ? 1 : x);
  }

  static KeyValue string(String key, String value) {
    return KeyValue.newBuilder().setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  static KeyValue integer(String key, long value) {
    return KeyValue.newBuilder().setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value)).build();
  }

  private static KeyValue bool(String key) {
    return KeyValue.newBuilder().setKey(key)
        .setValue(AnyValue.newBuilder().setBoolValue(true)).build();
  }
}
