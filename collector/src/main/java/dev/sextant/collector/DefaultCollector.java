package dev.sextant.collector;

import com.linecorp.armeria.server.VirtualHostBuilder;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.grpc.GrpcServiceBuilder;
import dev.sextant.collector.internal.GrpcErrors;
import dev.sextant.collector.internal.IngestPipeline;
import dev.sextant.collector.internal.LogHandler;
import dev.sextant.collector.internal.MetricHandler;
import dev.sextant.collector.internal.OtlpGrpcServices;
import dev.sextant.collector.internal.OtlpGrpcTraceService;
import dev.sextant.collector.internal.OtlpHttpService;
import dev.sextant.collector.internal.TraceHandler;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

final class DefaultCollector implements Collector {
  private final IngestPipeline pipeline;
  private final TraceHandler traces;
  private final LogHandler logs;
  private final MetricHandler metrics;
  private final int maxRequestBytes;

  DefaultCollector(CollectorBuilder b) {
    this.pipeline = new IngestPipeline(b.queueBytes, b.rateLimits);
    this.traces = new TraceHandler(b.spanConsumer, b.limits);
    this.logs = b.logConsumer == null ? null : new LogHandler(b.logConsumer, b.limits);
    this.metrics = b.metricWriter == null ? null : new MetricHandler(b.metricWriter, b.limits);
    this.maxRequestBytes = b.limits.maxRequestBytes();
  }

  @Override
  public void bindGrpc(VirtualHostBuilder host) {
    // The message limit (after decompression) answers RESOURCE_EXHAUSTED; the HTTP-level limit
    // is set above it so it never pre-empts that with a bare 413 a gRPC client can't interpret.
    host.maxRequestLength(maxRequestBytes * 2L + (1 << 20));
    GrpcServiceBuilder grpc = GrpcService.builder()
        .addService(new OtlpGrpcTraceService(pipeline, traces))
        .maxRequestMessageLength(maxRequestBytes)
        .exceptionHandler(GrpcErrors::toStatus);
    if (logs != null) {
      grpc.addService(OtlpGrpcServices.logs(pipeline, logs));
    }
    if (metrics != null) {
      grpc.addService(OtlpGrpcServices.metrics(pipeline, metrics));
    }
    host.service(grpc.build());
  }

  @Override
  public void bindHttp(VirtualHostBuilder host) {
    host.route().path("/v1/traces").maxRequestLength(maxRequestBytes)
        .build(new OtlpHttpService<>(pipeline, traces, ExportTraceServiceRequest::newBuilder,
            maxRequestBytes));
    if (logs != null) {
      host.route().path("/v1/logs").maxRequestLength(maxRequestBytes)
          .build(new OtlpHttpService<>(pipeline, logs, ExportLogsServiceRequest::newBuilder,
              maxRequestBytes));
    }
    if (metrics != null) {
      host.route().path("/v1/metrics").maxRequestLength(maxRequestBytes)
          .build(new OtlpHttpService<>(pipeline, metrics, ExportMetricsServiceRequest::newBuilder,
              maxRequestBytes));
    }
  }

  @Override
  public long queueBytes() {
    return pipeline.queueBytes();
  }
}
