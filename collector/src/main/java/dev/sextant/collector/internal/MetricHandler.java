package dev.sextant.collector.internal;

import dev.sextant.collector.limits.IngestLimits;
import dev.sextant.collector.limits.Signal;
import dev.sextant.storage.metrics.AppendResult;
import dev.sextant.storage.metrics.MetricWriter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Metrics: convert data points to Prometheus series and store them. */
public final class MetricHandler
    implements SignalHandler<ExportMetricsServiceRequest, ExportMetricsServiceResponse> {
  private static final Logger log = LoggerFactory.getLogger(MetricHandler.class);
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
      ExportMetricsServiceRequest.parser(), Metric.parser(), "metric");

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
    if (!c.metadata().isEmpty()) {
      try {
        writer.writeMetadata(c.metadata());
      } catch (RuntimeException e) {
        // Advisory: never a reason to refuse the samples themselves.
        log.warn("OTLP metrics: metadata not stored: {}", e.toString());
      }
    }
    CompletableFuture<AppendResult> stored = c.series().isEmpty()
        ? CompletableFuture.completedFuture(AppendResult.ALL_ACCEPTED) : writer.append(c.series());
    return stored.thenApply(appended -> {
      ExportMetricsServiceResponse.Builder b = ExportMetricsServiceResponse.newBuilder();
      // The store refuses samples; OTLP counts data points, and a histogram point is many
      // series: count refused samples, at most the points converted, so accepted stays >= 0.
      long refused = Math.min(appended.refusedSamples(), itemCount(request) - c.rejected());
      long rejected = c.rejected() + preRejected + refused;
      if (refused > 0) {
        DiscardedSamples.count(tenant, appended);
      }
      if (rejected > 0) {
        String message = preError != null ? preError
            : c.errorMessage() != null ? c.errorMessage() : appended.message();
        b.setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
            .setRejectedDataPoints(rejected)
            .setErrorMessage(message));
      }
      return new Result<>(b.build(), rejected);
    });
  }
}
