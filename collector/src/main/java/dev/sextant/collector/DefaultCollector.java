package dev.sextant.collector;

import com.linecorp.armeria.server.VirtualHostBuilder;
import com.linecorp.armeria.server.grpc.GrpcService;
import dev.sextant.collector.internal.GrpcErrors;
import dev.sextant.collector.internal.IngestPipeline;
import dev.sextant.collector.internal.OtlpGrpcTraceService;
import dev.sextant.collector.internal.OtlpHttpService;
import dev.sextant.collector.internal.TraceHandler;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

final class DefaultCollector implements Collector {
  private final IngestPipeline pipeline;
  private final TraceHandler traces;
  private final int maxRequestBytes;

  DefaultCollector(CollectorBuilder b) {
    this.pipeline = new IngestPipeline(b.queueBytes, b.rateLimits);
    this.traces = new TraceHandler(b.spanConsumer, b.limits);
    this.maxRequestBytes = b.limits.maxRequestBytes();
  }

  @Override
  public void bindGrpc(VirtualHostBuilder host) {
    // The message limit (after decompression) answers RESOURCE_EXHAUSTED; the HTTP-level limit
    // is set above it so it never pre-empts that with a bare 413 a gRPC client can't interpret.
    host.maxRequestLength(maxRequestBytes * 2L + (1 << 20));
    host.service(GrpcService.builder()
        .addService(new OtlpGrpcTraceService(pipeline, traces))
        .maxRequestMessageLength(maxRequestBytes)
        .exceptionHandler(GrpcErrors::toStatus)
        .build());
  }

  @Override
  public void bindHttp(VirtualHostBuilder host) {
    host.route().path("/v1/traces").maxRequestLength(maxRequestBytes)
        .build(new OtlpHttpService<>(pipeline, traces, ExportTraceServiceRequest::newBuilder,
            maxRequestBytes));
  }

  @Override
  public long queueBytes() {
    return pipeline.queueBytes();
  }
}
