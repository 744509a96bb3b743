package dev.sextant.bench.load;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.ByteBuffer;

/** Encodes a {@link SpanBatch} as an OTLP export request, one ResourceSpans per service. */
final class OtlpEncoder {
  private final SpanShape shape;
  private final KeyValue[][] attributes; // prebuilt: immutable protobuf messages are shareable
  private final Resource[] resources;
  private final InstrumentationScope scope =
      InstrumentationScope.newBuilder().setName("dev.sextant.bench.load").setVersion("1").build();

  OtlpEncoder(SpanShape shape) {
    this.shape = shape;
    attributes = new KeyValue[shape.attributes][shape.valueCardinality];
    for (int a = 0; a < shape.attributes; a++) {
      for (int v = 0; v < shape.valueCardinality; v++) {
        attributes[a][v] = string(shape.keys[a], shape.values[a][v]);
      }
    }
    resources = new Resource[shape.services];
    for (int s = 0; s < shape.services; s++) {
      resources[s] = Resource.newBuilder()
          .addAttributes(string("service.name", shape.serviceNames[s]))
          .addAttributes(string("host.name", "load-host-" + s))
          .addAttributes(string("telemetry.sdk.language", "java"))
          .build();
    }
  }

  ExportTraceServiceRequest encode(SpanBatch b) {
    ScopeSpans.Builder[] perService = new ScopeSpans.Builder[shape.services];
    for (int i = 0; i < b.size; i++) {
      int s = b.service[i];
      if (perService[s] == null) {
        perService[s] = ScopeSpans.newBuilder().setScope(scope);
      }
      Span.Builder span = Span.newBuilder()
          .setTraceId(id16(b.traceHi[i], b.traceLo[i]))
          .setSpanId(id8(b.spanId[i]))
          .setName(shape.operationNames[b.operation[i]])
          .setKind(b.parentId[i] == 0 ? Span.SpanKind.SPAN_KIND_SERVER
              : Span.SpanKind.SPAN_KIND_CLIENT)
          .setStartTimeUnixNano(b.startNanos[i])
          .setEndTimeUnixNano(b.startNanos[i] + b.durationNanos[i]);
      if (b.parentId[i] != 0) {
        span.setParentSpanId(id8(b.parentId[i]));
      }
      if (b.error[i]) {
        span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
      }
      for (int a = 0; a < shape.attributes; a++) {
        span.addAttributes(attributes[a][b.valueIndex[i][a]]);
      }
      perService[s].addSpans(span);
    }
    ExportTraceServiceRequest.Builder req = ExportTraceServiceRequest.newBuilder();
    for (int s = 0; s < shape.services; s++) {
      if (perService[s] != null) {
        req.addResourceSpans(ResourceSpans.newBuilder().setResource(resources[s])
            .addScopeSpans(perService[s]));
      }
    }
    return req.build();
  }

  private static KeyValue string(String key, String value) {
    return KeyValue.newBuilder().setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  static ByteString id16(long hi, long lo) {
    return ByteString.copyFrom(ByteBuffer.allocate(16).putLong(hi).putLong(lo).array());
  }

  static ByteString id8(long id) {
    return ByteString.copyFrom(ByteBuffer.allocate(8).putLong(id).array());
  }
}
