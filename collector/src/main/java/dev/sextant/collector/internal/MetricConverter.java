package dev.sextant.collector.internal;

import dev.sextant.collector.limits.IngestLimits;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.MetricMetadata;
import dev.sextant.storage.metrics.StaleMarker;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * OTLP metrics → Prometheus series, per the OpenTelemetry → Prometheus compatibility spec: gauges
 * as is; monotonic sums as {@code _total} counters (delta sums accumulated to cumulative);
 * non-monotonic sums as gauges; histograms as {@code _bucket{le}}, {@code _sum}, {@code _count};
 * summaries as {@code {quantile}}, {@code _sum}, {@code _count}; exponential histograms
 * converted to explicit {@code le} buckets at their bucket boundaries (negative buckets are
 * refused). {@code service.name} becomes {@code job}, {@code service.instance.id} becomes
 * {@code instance}, other resource attributes go to {@code target_info}. Each metric's kind,
 * description and unit (as its Prometheus unit word) become its metadata, under its Prometheus
 * name.
 */
public final class MetricConverter {
  private static final int NO_RECORDED_VALUE = 1;

  private final IngestLimits limits;
  private final DeltaAccumulator deltas = new DeltaAccumulator();

  public MetricConverter(IngestLimits limits) {
    this.limits = limits;
  }

  public MetricConversion convert(ExportMetricsServiceRequest request) {
    SeriesSink sink = new SeriesSink();
    Rejections rej = new Rejections();
    Map<String, MetricMetadata> metadata = new LinkedHashMap<>();
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      TreeMap<String, String> resourceLabels = new TreeMap<>();
      TreeMap<String, String> targetInfo = new TreeMap<>();
      resourceLabels(rm.getResource().getAttributesList(), resourceLabels, targetInfo);
      long maxTime = 0;
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        TreeMap<String, String> scoped = new TreeMap<>(resourceLabels);
        put(scoped, "otel_scope_name", sm.getScope().getName());
        put(scoped, "otel_scope_version", sm.getScope().getVersion());
        for (Metric m : sm.getMetricsList()) {
          maxTime = Math.max(maxTime, convertMetric(m, scoped, sink, rej));
          addMetadata(m, metadata);
        }
      }
      if (!targetInfo.isEmpty() && maxTime > 0) {
        targetInfo.putAll(resourceLabels);
        sink.add(targetInfo, "target_info", null, null, maxTime, 1);
      }
    }
    return new MetricConversion(sink.out, List.copyOf(metadata.values()), rej.count, rej.first);
  }

  /** The metadata of {@code m} under the name its series get; the last one of a name wins. */
  private static void addMetadata(Metric m, Map<String, MetricMetadata> out) {
    if (m.getName().isEmpty()) {
      return;
    }
    boolean gauge;
    boolean counter = false;
    MetricMetadata.Type type;
    switch (m.getDataCase()) {
      case GAUGE -> {
        gauge = true;
        type = MetricMetadata.Type.GAUGE;
      }
      case SUM -> {
        counter = m.getSum().getIsMonotonic();
        gauge = !counter;
        type = counter ? MetricMetadata.Type.COUNTER : MetricMetadata.Type.GAUGE;
      }
      case HISTOGRAM, EXPONENTIAL_HISTOGRAM -> {
        gauge = false;
        type = MetricMetadata.Type.HISTOGRAM;
      }
      case SUMMARY -> {
        gauge = false;
        type = MetricMetadata.Type.SUMMARY;
      }
      default -> {
        return;
      }
    }
    String name = PrometheusNames.metricName(m.getName(), m.getUnit(), counter, gauge);
    out.put(name, new MetricMetadata(name, type, m.getDescription(),
        PrometheusNames.unitWords(m.getUnit(), gauge)));
  }

  private long convertMetric(Metric m, TreeMap<String, String> base, SeriesSink sink,
      Rejections rej) {
    if (m.getName().isEmpty()) {
      rej.add(points(m), "metric with an empty name");
      return 0;
    }
    long maxTime = 0;
    switch (m.getDataCase()) {
      case GAUGE -> {
        String name = PrometheusNames.metricName(m.getName(), m.getUnit(), false, true);
        for (NumberDataPoint p : m.getGauge().getDataPointsList()) {
          maxTime = Math.max(maxTime, number(name, p, base, sink, rej, null));
        }
      }
      case SUM -> {
        boolean mono = m.getSum().getIsMonotonic();
        boolean delta = m.getSum().getAggregationTemporality()
            == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
        String name = PrometheusNames.metricName(m.getName(), m.getUnit(), mono, !mono);
        for (NumberDataPoint p : m.getSum().getDataPointsList()) {
          maxTime = Math.max(maxTime, number(name, p, base, sink, rej, delta ? deltas : null));
        }
      }
      case HISTOGRAM -> {
        boolean delta = m.getHistogram().getAggregationTemporality()
            == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
        String name = PrometheusNames.metricName(m.getName(), m.getUnit(), false, false);
        for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
          maxTime = Math.max(maxTime, histogram(name, p, base, sink, rej, delta));
        }
      }
      case EXPONENTIAL_HISTOGRAM -> {
        boolean delta = m.getExponentialHistogram().getAggregationTemporality()
            == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
        String name = PrometheusNames.metricName(m.getName(), m.getUnit(), false, false);
        for (ExponentialHistogramDataPoint p : m.getExponentialHistogram().getDataPointsList()) {
          maxTime = Math.max(maxTime, ExponentialBuckets.convert(name, p, labels(base,
              p.getAttributesList()), sink, rej, delta ? deltas : null));
        }
      }
      case SUMMARY -> {
        String name = PrometheusNames.metricName(m.getName(), m.getUnit(), false, false);
        for (SummaryDataPoint p : m.getSummary().getDataPointsList()) {
          maxTime = Math.max(maxTime, summary(name, p, base, sink, rej));
        }
      }
      default -> rej.add(1, "metric " + m.getName() + ": no data");
    }
    return maxTime;
  }

  private long number(String name, NumberDataPoint p, TreeMap<String, String> base,
      SeriesSink sink, Rejections rej, DeltaAccumulator acc) {
    long t = timeMillis(p.getTimeUnixNano());
    if (t <= 0) {
      rej.add(1, "data point of " + name + ": time_unix_nano missing");
      return 0;
    }
    TreeMap<String, String> l = labels(base, p.getAttributesList());
    double v;
    if ((p.getFlags() & NO_RECORDED_VALUE) != 0) {
      v = StaleMarker.VALUE;
    } else {
      v = p.hasAsInt() ? p.getAsInt() : p.getAsDouble();
      if (acc != null) {
        TreeMap<String, String> key = new TreeMap<>(l);
        key.put(Labels.NAME, name);
        v = acc.add(Labels.of(key), new double[] {v})[0];
      }
    }
    sink.add(l, name, null, null, t, v);
    return t;
  }

  private long histogram(String name, HistogramDataPoint p, TreeMap<String, String> base,
      SeriesSink sink, Rejections rej, boolean delta) {
    long t = timeMillis(p.getTimeUnixNano());
    int bounds = p.getExplicitBoundsCount();
    if (t <= 0) {
      rej.add(1, "data point of " + name + ": time_unix_nano missing");
      return 0;
    }
    if (p.getBucketCountsCount() != 0 && p.getBucketCountsCount() != bounds + 1) {
      rej.add(1, "histogram " + name + ": " + p.getBucketCountsCount()
          + " bucket_counts for " + bounds + " explicit_bounds (expected: bounds + 1)");
      return 0;
    }
    TreeMap<String, String> l = labels(base, p.getAttributesList());
    boolean stale = (p.getFlags() & NO_RECORDED_VALUE) != 0;
    double[] values = new double[bounds + 3]; // cumulative buckets..., +Inf, sum, count
    long cumulative = 0;
    for (int i = 0; i < p.getBucketCountsCount(); i++) {
      cumulative += p.getBucketCounts(i);
      values[i] = cumulative;
    }
    values[bounds] = p.getCount();
    values[bounds + 1] = p.hasSum() ? p.getSum() : Double.NaN;
    values[bounds + 2] = p.getCount();
    if (delta && !stale) {
      TreeMap<String, String> key = new TreeMap<>(l);
      key.put(Labels.NAME, name + "_bucket");
      values = deltas.add(Labels.of(key), values);
    }
    for (int i = 0; i < bounds; i++) {
      sink.add(l, name + "_bucket", "le", formatLe(p.getExplicitBounds(i)), t,
          stale ? StaleMarker.VALUE : values[i]);
    }
    sink.add(l, name + "_bucket", "le", "+Inf", t, stale ? StaleMarker.VALUE : values[bounds]);
    if (p.hasSum()) {
      sink.add(l, name + "_sum", null, null, t, stale ? StaleMarker.VALUE : values[bounds + 1]);
    }
    sink.add(l, name + "_count", null, null, t, stale ? StaleMarker.VALUE : values[bounds + 2]);
    return t;
  }

  private long summary(String name, SummaryDataPoint p, TreeMap<String, String> base,
      SeriesSink sink, Rejections rej) {
    long t = timeMillis(p.getTimeUnixNano());
    if (t <= 0) {
      rej.add(1, "data point of " + name + ": time_unix_nano missing");
      return 0;
    }
    TreeMap<String, String> l = labels(base, p.getAttributesList());
    boolean stale = (p.getFlags() & NO_RECORDED_VALUE) != 0;
    for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
      sink.add(l, name, "quantile", formatLe(q.getQuantile()), t,
          stale ? StaleMarker.VALUE : q.getValue());
    }
    sink.add(l, name + "_sum", null, null, t, stale ? StaleMarker.VALUE : p.getSum());
    sink.add(l, name + "_count", null, null, t, stale ? StaleMarker.VALUE : p.getCount());
    return t;
  }

  /** Prometheus formats bucket bounds like Go's strconv 'g' would: 0.5, 1, 2.5, 1e+06. */
  static String formatLe(double d) {
    if (d == Double.POSITIVE_INFINITY) {
      return "+Inf";
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return Double.toString(d).replace("E", "e+").replace("e+-", "e-");
  }

  private TreeMap<String, String> labels(TreeMap<String, String> base, List<KeyValue> attrs) {
    TreeMap<String, String> l = new TreeMap<>(base);
    int n = 0;
    for (KeyValue kv : attrs) {
      if (n++ >= limits.maxAttributes()) {
        break;
      }
      put(l, PrometheusNames.labelName(kv.getKey()), AnyValueText.of(kv.getValue()));
    }
    return l;
  }

  private void resourceLabels(List<KeyValue> attrs, Map<String, String> labels,
      Map<String, String> targetInfo) {
    String service = OtlpAttributes.stringValue(attrs, "service.name");
    String namespace = OtlpAttributes.stringValue(attrs, "service.namespace");
    String instance = OtlpAttributes.stringValue(attrs, "service.instance.id");
    if (service != null) {
      put(labels, "job", namespace == null || namespace.isEmpty() ? service
          : namespace + "/" + service);
    }
    put(labels, "instance", instance);
    for (KeyValue kv : attrs) {
      String k = kv.getKey();
      if (!k.equals("service.name") && !k.equals("service.namespace")
          && !k.equals("service.instance.id") && targetInfo.size() < limits.maxAttributes()) {
        put(targetInfo, PrometheusNames.labelName(k), AnyValueText.of(kv.getValue()));
      }
    }
  }

  private void put(Map<String, String> m, String k, String v) {
    if (v != null && !v.isEmpty()) {
      m.put(k, v.length() > limits.maxAttributeValueLength()
          ? v.substring(0, limits.maxAttributeValueLength()) : v);
    }
  }

  static long timeMillis(long nanos) {
    return nanos / 1_000_000L;
  }

  private static int points(Metric m) {
    return switch (m.getDataCase()) {
      case GAUGE -> m.getGauge().getDataPointsCount();
      case SUM -> m.getSum().getDataPointsCount();
      case HISTOGRAM -> m.getHistogram().getDataPointsCount();
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsCount();
      case SUMMARY -> m.getSummary().getDataPointsCount();
      default -> 1;
    };
  }

  /** Counts rejected data points and keeps the first reason. */
  static final class Rejections {
    long count;
    String first;

    void add(long n, String reason) {
      count += n;
      if (first == null) {
        first = reason;
      }
    }
  }
}
