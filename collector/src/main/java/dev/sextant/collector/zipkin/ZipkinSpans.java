package dev.sextant.collector.zipkin;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import org.jspecify.annotations.Nullable;

/**
 * Decodes a {@code POST /api/v2/spans} body, Zipkin v2 JSON or protobuf {@code ListOfSpans}, into
 * an OTLP trace request that the ordinary OTLP ingest path stores (docs/zipkin.md has the
 * mapping). A body that is not a span list, or a span with an invalid ID or a field of the wrong
 * type, fails the whole body with a {@link ZipkinFormatException} naming the field, as Zipkin
 * answers 400 for it; a well-formed span that cannot be stored (no timestamp anywhere) is
 * dropped alone and counted in {@link Decoded#rejected()}.
 */
public final class ZipkinSpans {
  private ZipkinSpans() {}

  /**
   * A decoded body: the spans as OTLP, and how many were dropped with the first reason (null
   * when none were).
   */
  public record Decoded(ExportTraceServiceRequest request, long rejected,
      @Nullable String firstError) {}

  /** Decodes Zipkin v2 JSON: a JSON array of span objects. */
  public static Decoded fromJson(byte[] body) throws ZipkinFormatException {
    return ZipkinToOtlp.map(ZipkinJsonReader.read(body));
  }

  /** Decodes protobuf: Zipkin's proto3 {@code ListOfSpans}. */
  public static Decoded fromProto3(byte[] body) throws ZipkinFormatException {
    return ZipkinToOtlp.map(ZipkinProtoReader.read(body));
  }
}
