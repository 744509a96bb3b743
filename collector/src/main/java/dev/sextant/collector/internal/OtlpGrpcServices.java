package dev.sextant.collector.internal;

import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;

/** OTLP LogsService and MetricsService over gRPC; each answers once its data is durable. */
public final class OtlpGrpcServices {
  private OtlpGrpcServices() {}

  public static LogsServiceGrpc.LogsServiceImplBase logs(IngestPipeline p, LogHandler h) {
    GrpcIngest<ExportLogsServiceRequest, ExportLogsServiceResponse> ingest =
        new GrpcIngest<>(p, h);
    return new LogsServiceGrpc.LogsServiceImplBase() {
      @Override
      public void export(ExportLogsServiceRequest request,
          StreamObserver<ExportLogsServiceResponse> observer) {
        ingest.export(request, observer);
      }
    };
  }

  public static MetricsServiceGrpc.MetricsServiceImplBase metrics(IngestPipeline p,
      MetricHandler h) {
    GrpcIngest<ExportMetricsServiceRequest, ExportMetricsServiceResponse> ingest =
        new GrpcIngest<>(p, h);
    return new MetricsServiceGrpc.MetricsServiceImplBase() {
      @Override
      public void export(ExportMetricsServiceRequest request,
          StreamObserver<ExportMetricsServiceResponse> observer) {
        ingest.export(request, observer);
      }
    };
  }
}
