package dev.sextant.collector.internal;

import dev.sextant.collector.IngestLimits;
import dev.sextant.collector.Signal;
import dev.sextant.storage.metrics.MetricWriter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.concurrent.CompletableFuture;

/** Metrics: convert data points to Prometheus series and store them. */
public final class MetricHandler
    implements SignalHandler<ExportMetricsServiceRequest, ExportMetricsServiceResponse> {
  private final MetricWriter writer;
  private final MetricConverter converter;

  public MetricHandler(MetricWriter writer, IngestLimits limits) {
    this.writer = writer;
    this.converter = new MetricConverter(limits);
  }

  @Override
  public Signal signal() {
    return Signal.METRICS;
  }

  private final LenientOtlpParser<ExportMetricsServiceRequest> parser = new LenientOtlpParser<>(
      ExportMetricsServiceRequest.parser(), io.opentelemetry.proto.metrics.v1.Metric.parser(), "metric");

  @Override
  public LenientOtlpParser<ExportMetricsServiceRequest> parser() {
    return parser;
  }

  @Override
  public long itemCount(ExportMetricsServiceRequest request) {
    long n = 0;
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          n += switch (m.getDataCase()) {
            case GAUGE -> m.getGauge().getDataPointsCount();
            case SUM -> m.getSum().getDataPointsCount();
            case HISTOGRAM -> m.getHistogram().getDataPointsCount();
            case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsCount();
            case SUMMARY -> m.getSummary().getDataPointsCount();
            default -> 1;
          };
        }
      }
    }
    return n;
  }

  @Override
  public CompletableFuture<Result<ExportMetricsServiceResponse>> store(
      ExportMetricsServiceRequest request, String tenant, long preRejected, String preError) {
    MetricConversion c = converter.convert(request);
    CompletableFuture<Void> stored = c.series().isEmpty()
        ? CompletableFuture.completedFuture(null) : writer.write(c.series());
    return stored.thenApply(unused -> {
      ExportMetricsServiceResponse.Builder b = ExportMetricsServiceResponse.newBuilder();
      long rejected = c.rejected() + preRejected;
      if (rejected > 0) {
        b.setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
            .setRejectedDataPoints(rejected)
            .setErrorMessage(preError != null ? preError : c.errorMessage()));
      }
      return new Result<>(b.build(), rejected);
    });
  }
}
