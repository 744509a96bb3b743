package dev.sextant.server;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;

/** Raw OTLP requests built from the generated classes, for tests that need exact control. */
final class OtlpRequests {
  private OtlpRequests() {}

  static byte[] randomId(int bytes) {
    byte[] id = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(id);
    id[0] |= 1;
    return id;
  }

  static byte[] spanId(long n) {
    return ByteBuffer.allocate(8).putLong(n | (1L << 62)).array();
  }

  /** One trace of {@code spans} spans, the first a root and the others its children. */
  static ExportTraceServiceRequest trace(byte[] traceId, int spans, String service) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int i = 0; i < spans; i++) {
      Span.Builder s = Span.newBuilder()
          .setTraceId(ByteString.copyFrom(traceId))
          .setSpanId(ByteString.copyFrom(spanId(i)))
          .setName("op-" + i)
          .setStartTimeUnixNano(now + i)
          .setEndTimeUnixNano(now + 1000 + i);
      if (i > 0) {
        s.setParentSpanId(ByteString.copyFrom(spanId(0)));
      }
      scope.addSpans(s);
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder()
            .setKey("service.name").setValue(AnyValue.newBuilder().setStringValue(service))))
        .addScopeSpans(scope)).build();
  }
}
