package dev.sextant.bench.load;

import com.linecorp.armeria.client.grpc.GrpcClients;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Metric samples for the PromQL comparison: {@code series} cumulative counters
 * ({@code bench_cluster_requests}, stored as {@code bench_cluster_requests_total} with labels
 * {@code route} (50 values) and {@code pod}) with a point every {@code step} over the
 * {@code span} before now, sent oldest first as OTLP gRPC {@code MetricsService/Export}, one
 * request per timestamp, each request to every endpoint in turn (the same requests to each).
 */
final class OtlpMetricsFeed {
  static final String METRIC = "bench_cluster_requests_total";
  static final int ROUTES = 50;

  private OtlpMetricsFeed() {}

  /** Sends everything; returns the time of the first and last samples (epoch seconds). */
  static long[] send(int series, Duration span, Duration step, List<Integer> grpcPorts) {
    List<MetricsServiceGrpc.MetricsServiceBlockingStub> stubs = new ArrayList<>();
    for (int port : grpcPorts) {
      stubs.add(GrpcClients.builder("http://127.0.0.1:" + port)
          .responseTimeout(Duration.ofSeconds(30))
          .build(MetricsServiceGrpc.MetricsServiceBlockingStub.class));
    }
    long stepMillis = step.toMillis();
    long end = System.currentTimeMillis() / stepMillis * stepMillis;
    long first = end - span.toMillis();
    long startNanos = (first - stepMillis) * 1_000_000L;
    Resource resource = Resource.newBuilder().addAttributes(string("service.name",
        "load-metrics")).build();
    int steps = 0;
    for (long t = first; t <= end; t += stepMillis, steps++) {
      Sum.Builder sum = Sum.newBuilder().setIsMonotonic(true)
          .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
      for (int i = 0; i < series; i++) {
        sum.addDataPoints(NumberDataPoint.newBuilder()
            .setStartTimeUnixNano(startNanos)
            .setTimeUnixNano(t * 1_000_000L)
            .setAsInt((long) steps * (1 + i % 7) * 10)
            .addAttributes(string("route", "/r" + i % ROUTES))
            .addAttributes(string("pod", "pod-" + i)));
      }
      ExportMetricsServiceRequest request = ExportMetricsServiceRequest.newBuilder()
          .addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource)
              .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder()
                  .setName("bench_cluster_requests").setSum(sum))))
          .build();
      for (MetricsServiceGrpc.MetricsServiceBlockingStub stub : stubs) {
        var response = stub.export(request);
        if (response.hasPartialSuccess()
            && response.getPartialSuccess().getRejectedDataPoints() > 0) {
          throw new IllegalStateException("metric points rejected: "
              + response.getPartialSuccess());
        }
      }
    }
    return new long[] {first / 1000, end / 1000};
  }

  private static KeyValue string(String key, String value) {
    return KeyValue.newBuilder().setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }
}
