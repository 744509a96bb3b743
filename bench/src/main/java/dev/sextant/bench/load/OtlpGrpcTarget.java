package dev.sextant.bench.load;

import com.linecorp.armeria.client.grpc.GrpcClients;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.time.Duration;

/** Raw OTLP gRPC {@code TraceService/Export} requests built from the generated classes. */
final class OtlpGrpcTarget implements IngestTarget {
  private final OtlpEncoder encoder;
  private final TraceServiceGrpc.TraceServiceBlockingStub stub;

  OtlpGrpcTarget(String host, int port, SpanShape shape) {
    encoder = new OtlpEncoder(shape);
    stub = GrpcClients.builder("http://" + host + ":" + port)
        .responseTimeout(Duration.ofSeconds(30))
        .maxRequestMessageLength(64 << 20)
        .build(TraceServiceGrpc.TraceServiceBlockingStub.class);
  }

  @Override
  public String name() {
    return "sextant";
  }

  @Override
  public Object encode(SpanBatch batch) {
    return encoder.encode(batch);
  }

  @Override
  public long send(Object payload) {
    ExportTraceServiceResponse r = stub.export((ExportTraceServiceRequest) payload);
    return r.hasPartialSuccess() ? r.getPartialSuccess().getRejectedSpans() : 0;
  }

  @Override
  public void close() {}
}
