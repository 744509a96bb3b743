package dev.sextant.collector.internal;

import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;

/** OTLP TraceService over gRPC. Answers only once the request's spans are durable. */
public final class OtlpGrpcTraceService extends TraceServiceGrpc.TraceServiceImplBase {
  private final GrpcIngest<ExportTraceServiceRequest, ExportTraceServiceResponse> ingest;

  public OtlpGrpcTraceService(IngestPipeline pipeline, TraceHandler handler) {
    this.ingest = new GrpcIngest<>(pipeline, handler);
  }

  @Override
  public void export(ExportTraceServiceRequest request,
      StreamObserver<ExportTraceServiceResponse> observer) {
    ingest.export(request, observer);
  }
}
