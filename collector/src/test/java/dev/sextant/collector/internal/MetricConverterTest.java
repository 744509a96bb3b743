package dev.sextant.collector.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.collector.limits.IngestLimits;
import dev.sextant.storage.metrics.MetricMetadata;
import dev.sextant.storage.metrics.StaleMarker;
import dev.sextant.storage.metrics.TimeSeries;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MetricConverterTest {
  private static final long T = 1_700_000_000_000_000_000L;
  private final MetricConverter converter = new MetricConverter(IngestLimits.defaults());

  private static ExportMetricsServiceRequest request(Metric... metrics) {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(Resource.newBuilder()
            .addAttributes(kv("service.name", "api")).addAttributes(kv("service.namespace", "shop")))
        .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(List.of(metrics))))
        .build();
  }

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v))
        .build();
  }

  private static Map<String, Double> byLabels(MetricConversion c) {
    return c.series().stream().collect(Collectors.toMap(s -> s.labels().toString(),
        (TimeSeries s) -> s.values()[0], (a, b) -> b));
  }

  @Test
  void convert_metadataFromKindDescriptionAndUnit() {
    Metric counter = Metric.newBuilder().setName("http.server.requests").setUnit("{request}")
        .setDescription("Requests served.").setSum(Sum.newBuilder().setIsMonotonic(true)
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T).setAsInt(2))).build();
    Metric gauge = Metric.newBuilder().setName("queue.size").setUnit("By")
        .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder()
            .setTimeUnixNano(T).setAsDouble(1))).build();
    Metric summary = Metric.newBuilder().setName("rpc.latency").setUnit("s")
        .setSummary(Summary.newBuilder().addDataPoints(SummaryDataPoint.newBuilder()
            .setTimeUnixNano(T).setCount(1).setSum(2))).build();
    MetricConversion c = converter.convert(request(counter, gauge, summary));
    assertThat(c.metadata()).containsExactly(
        new MetricMetadata("http_server_requests_total", MetricMetadata.Type.COUNTER,
            "Requests served.", ""),
        new MetricMetadata("queue_size_bytes", MetricMetadata.Type.GAUGE, "", "bytes"),
        new MetricMetadata("rpc_latency_seconds", MetricMetadata.Type.SUMMARY, "", "seconds"));
    // The names are those of the series written.
    assertThat(c.series()).extracting(x -> x.labels().metricName())
        .contains("http_server_requests_total", "queue_size_bytes", "rpc_latency_seconds_count");
  }

  @Test
  void convert_deltaSumsAccumulateToCumulativeCounters() {
    Metric delta = Metric.newBuilder().setName("orders").setSum(Sum.newBuilder()
        .setIsMonotonic(true)
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
        .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T).setAsInt(2))).build();
    converter.convert(request(delta));
    MetricConversion second = converter.convert(request(delta));
    assertThat(byLabels(second)).containsEntry("orders_total{job=\"shop/api\"}", 4.0);
  }

  @Test
  void convert_noRecordedValueFlagBecomesStaleMarker() {
    Metric gauge = Metric.newBuilder().setName("g").setGauge(
        Gauge.newBuilder().addDataPoints(
            NumberDataPoint.newBuilder().setTimeUnixNano(T).setFlags(1))).build();
    TimeSeries s = converter.convert(request(gauge)).series().get(0);
    assertThat(StaleMarker.isStale(s.values()[0])).isTrue();
  }

  @Test
  void convert_summaryBecomesQuantileSumAndCount() {
    Metric summary = Metric.newBuilder().setName("rpc.latency").setUnit("ms").setSummary(
        Summary.newBuilder().addDataPoints(SummaryDataPoint.newBuilder().setTimeUnixNano(T)
            .setCount(10).setSum(55).addQuantileValues(SummaryDataPoint.ValueAtQuantile
                .newBuilder().setQuantile(0.99).setValue(9)))).build();
    assertThat(byLabels(converter.convert(request(summary))))
        .containsEntry("rpc_latency_milliseconds{job=\"shop/api\", quantile=\"0.99\"}", 9.0)
        .containsEntry("rpc_latency_milliseconds_sum{job=\"shop/api\"}", 55.0)
        .containsEntry("rpc_latency_milliseconds_count{job=\"shop/api\"}", 10.0);
  }

  @Test
  void convert_exponentialHistogramBecomesLeBuckets() {
    Metric exp = Metric.newBuilder().setName("size").setExponentialHistogram(
        ExponentialHistogram.newBuilder().setAggregationTemporality(
            AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE).addDataPoints(
            ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(T).setScale(0)
                .setCount(6).setSum(20).setZeroCount(1)
                .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(1)
                    .addBucketCounts(2).addBucketCounts(3)))).build();
    Map<String, Double> m = byLabels(converter.convert(request(exp)));
    assertThat(m).containsEntry("size_bucket{job=\"shop/api\", le=\"0\"}", 1.0)
        .containsEntry("size_bucket{job=\"shop/api\", le=\"4\"}", 3.0)
        .containsEntry("size_bucket{job=\"shop/api\", le=\"8\"}", 6.0)
        .containsEntry("size_bucket{job=\"shop/api\", le=\"+Inf\"}", 6.0)
        .containsEntry("size_count{job=\"shop/api\"}", 6.0);
  }

  @Test
  void convert_rejectsNegativeExponentialBucketsAndMissingTimes() {
    Metric exp = Metric.newBuilder().setName("neg").setExponentialHistogram(
        ExponentialHistogram.newBuilder().addDataPoints(ExponentialHistogramDataPoint.newBuilder()
            .setTimeUnixNano(T).setNegative(ExponentialHistogramDataPoint.Buckets.newBuilder()
                .addBucketCounts(1)))).build();
    Metric noTime = Metric.newBuilder().setName("g").setGauge(
        Gauge.newBuilder().addDataPoints(
            NumberDataPoint.newBuilder().setAsDouble(1))).build();
    MetricConversion c = converter.convert(request(exp, noTime));
    assertThat(c.rejected()).isEqualTo(2);
    assertThat(c.errorMessage()).contains("negative buckets are not supported");
  }
}
