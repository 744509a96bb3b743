package dev.sextant.collector.red;

import dev.sextant.storage.Span;
import dev.sextant.storage.StatusCode;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.MetricWriter;
import dev.sextant.storage.metrics.SpanMetricNames;
import dev.sextant.storage.metrics.TimeSeries;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rate/errors/duration metrics derived from spans, like the OpenTelemetry Collector's spanmetrics
 * connector, written as ordinary series every flush (names in {@link SpanMetricNames}):
 * <ul>
 *   <li>{@code traces_span_metrics_calls_total{service_name, span_name, span_kind, status_code}}
 *   <li>{@code traces_span_metrics_errors_total{service_name, span_name, span_kind}}
 *   <li>{@code traces_span_metrics_duration_seconds_bucket{..., le}}, {@code _sum}, {@code _count}
 * </ul>
 * Values are cumulative since the process started (a restart is a counter reset to PromQL). At
 * most {@value #MAX_KEYS} label combinations are kept; further ones are counted under
 * {@code span_name="_overflow_"} so a span-name explosion cannot exhaust memory.
 *
 * <p>A series reported for the first time gets a zero sample 1 ms before its first value (what
 * Prometheus does with a counter's created timestamp): without it, {@code rate} cannot see the
 * first increase of a series that appears mid-window (the first error of a span name), so an
 * error ratio over {@code calls_total} summed across status codes could exceed 100 %.
 */
public final class RedMetrics {
  static final int MAX_KEYS = 10_000;
  /** The spanmetrics connector's default buckets, in seconds. */
  static final double[] BUCKETS = {0.002, 0.004, 0.006, 0.008, 0.01, 0.05, 0.1, 0.2, 0.4, 0.8,
      1, 1.4, 2, 5, 10, 15};

  private record Key(String service, String span, String kind, String status) {}

  private final Map<Key, RedSeries> series = new ConcurrentHashMap<>();
  private final Set<Key> reported = ConcurrentHashMap.newKeySet();
  private final Set<List<String>> errorsReported = ConcurrentHashMap.newKeySet();

  /** Counts spans (called after they were stored). */
  public void record(List<Span> spans) {
    for (Span s : spans) {
      Key k = new Key(s.serviceName(), s.name(), "SPAN_KIND_" + s.kind().name(),
          "STATUS_CODE_" + s.statusCode().name());
      RedSeries r = series.get(k);
      if (r == null) {
        if (series.size() >= MAX_KEYS) {
          k = new Key(k.service, "_overflow_", k.kind, k.status);
        }
        r = series.computeIfAbsent(k, x -> new RedSeries(BUCKETS.length));
      }
      r.add(Math.max(0, s.durationNanos()) / 1e9, BUCKETS);
    }
  }

  /** The current totals as series at {@code timeMillis}. */
  public List<TimeSeries> snapshot(long timeMillis) {
    List<TimeSeries> out = new ArrayList<>();
    Map<List<String>, Double> errors = new HashMap<>();
    series.forEach((k, r) -> {
      RedSeries.Snapshot s = r.snapshot();
      boolean fresh = reported.add(k);
      String[] base = {SpanMetricNames.SERVICE, k.service, SpanMetricNames.SPAN_NAME, k.span,
          SpanMetricNames.SPAN_KIND, k.kind};
      add(out, fresh, timeMillis, s.count(), SpanMetricNames.CALLS, base,
          SpanMetricNames.STATUS_CODE, k.status);
      if (k.status.equals("STATUS_CODE_" + StatusCode.ERROR.name())) {
        errors.merge(List.of(k.service, k.span, k.kind), (double) s.count(), Double::sum);
      } else {
        errors.merge(List.of(k.service, k.span, k.kind), 0.0, Double::sum);
      }
      long cumulative = 0;
      for (int i = 0; i < BUCKETS.length; i++) {
        cumulative += s.buckets()[i];
        add(out, fresh, timeMillis, cumulative, SpanMetricNames.DURATION_BUCKET, base,
            SpanMetricNames.STATUS_CODE, k.status, "le", le(BUCKETS[i]));
      }
      add(out, fresh, timeMillis, s.count(), SpanMetricNames.DURATION_BUCKET, base,
          SpanMetricNames.STATUS_CODE, k.status, "le", "+Inf");
      add(out, fresh, timeMillis, s.sum(), SpanMetricNames.DURATION_SUM, base,
          SpanMetricNames.STATUS_CODE, k.status);
      add(out, fresh, timeMillis, s.count(), SpanMetricNames.DURATION_COUNT, base,
          SpanMetricNames.STATUS_CODE, k.status);
    });
    errors.forEach((k, v) -> add(out, errorsReported.add(k), timeMillis, v,
        SpanMetricNames.ERRORS, new String[] {SpanMetricNames.SERVICE, k.get(0),
            SpanMetricNames.SPAN_NAME, k.get(1), SpanMetricNames.SPAN_KIND, k.get(2)}));
    return out;
  }

  /** Adds the sample, after a zero 1 ms earlier when the series is reported for the first time. */
  private static void add(List<TimeSeries> out, boolean fresh, long t, double v, String name,
      String[] base, String... extra) {
    if (fresh) {
      out.add(ts(t - 1, 0, name, base, extra));
    }
    out.add(ts(t, v, name, base, extra));
  }

  /** Writes the snapshot; the future completes when durable. */
  public CompletableFuture<Void> flush(MetricWriter writer) {
    List<TimeSeries> s = snapshot(System.currentTimeMillis());
    return s.isEmpty() ? CompletableFuture.completedFuture(null)
        : writer.write(s);
  }

  private static TimeSeries ts(long t, double v, String name, String[] base, String... extra) {
    String[] all = new String[2 + base.length + extra.length];
    all[0] = Labels.NAME;
    all[1] = name;
    System.arraycopy(base, 0, all, 2, base.length);
    System.arraycopy(extra, 0, all, 2 + base.length, extra.length);
    return TimeSeries.of(Labels.of(all), t, v);
  }

  private static String le(double b) {
    return b == Math.rint(b) ? Long.toString((long) b) : Double.toString(b);
  }
}
