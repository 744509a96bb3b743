package dev.sextant.query.signals;

import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.TimeSeries;
import java.util.ArrayList;
import java.util.List;

/**
 * RED series as the collector writes them: {@code calls} requests per second at a 15s interval for
 * {@code minutes}, 10% errors, latencies 20% ≤ 50ms, 60% ≤ 100ms, 95% ≤ 200ms, all ≤ 400ms. So
 * traffic is 1 req/s, the error ratio 0.1, p50 87.5ms, p90 ~185.7ms, p99 360ms.
 */
public final class RedFixture {
  private RedFixture() {}

  public static List<TimeSeries> series(String service, String span, String kind, long baseMs,
      int minutes, double perSecond) {
    int n = minutes * 4 + 1;
    long[] ts = new long[n];
    double[] calls = new double[n];
    for (int i = 0; i < n; i++) {
      ts[i] = baseMs + i * 15_000L;
      calls[i] = i * 15 * perSecond;
    }
    List<TimeSeries> out = new ArrayList<>();
    String[] base = {"service_name", service, "span_name", span, "span_kind", kind};
    out.add(new TimeSeries(labels("traces_span_metrics_calls_total", base,
        "status_code", "STATUS_CODE_UNSET"), ts, calls));
    out.add(new TimeSeries(labels("traces_span_metrics_errors_total", base), ts,
        scale(calls, 0.1)));
    String[] les = {"0.05", "0.1", "0.2", "0.4", "+Inf"};
    double[] fractions = {0.2, 0.6, 0.95, 1, 1};
    for (int b = 0; b < les.length; b++) {
      out.add(new TimeSeries(labels("traces_span_metrics_duration_seconds_bucket", base,
          "status_code", "STATUS_CODE_UNSET", "le", les[b]), ts, scale(calls, fractions[b])));
    }
    return out;
  }

  private static double[] scale(double[] v, double f) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i] * f;
    }
    return out;
  }

  private static Labels labels(String name, String[] base, String... more) {
    String[] all = new String[2 + base.length + more.length];
    all[0] = Labels.NAME;
    all[1] = name;
    System.arraycopy(base, 0, all, 2, base.length);
    System.arraycopy(more, 0, all, 2 + base.length, more.length);
    return Labels.of(all);
  }
}
