package dev.sextant.ui;

import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.TimeSeries;
import java.util.ArrayList;
import java.util.List;

/**
 * Half an hour of span-derived RED series (as the collector writes them, every 15 s) for
 * frontend, checkout and payments, payments failing; plus checkout's JVM CPU for saturation.
 */
final class UiMetrics {
  static final String[] SERVICES = {"frontend", "checkout", "payments"};
  static final double[] LE = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1};
  static final int POINTS = 120;
  static final long STEP_MS = 15_000;

  private UiMetrics() {}

  static List<TimeSeries> red(long nowMs) {
    List<TimeSeries> out = new ArrayList<>();
    long[] ts = new long[POINTS];
    for (int i = 0; i < POINTS; i++) {
      ts[i] = nowMs - (POINTS - 1 - i) * STEP_MS;
    }
    for (int k = 0; k < SERVICES.length; k++) {
      String s = SERVICES[k];
      String op = k == 0 ? "GET /checkout" : k == 1 ? "PlaceOrder" : "Charge";
      double rps = 4.0 - k; // calls per second
      double[] calls = new double[POINTS];
      double[] errors = new double[POINTS];
      for (int i = 0; i < POINTS; i++) {
        // Traffic wobbles so the sparklines have a shape.
        double inc = rps * 15 * (1 + 0.3 * Math.sin(i / 8.0 + k));
        calls[i] = (i == 0 ? 0 : calls[i - 1]) + Math.round(inc);
        errors[i] = k == 2 ? Math.floor(calls[i] * 0.1) : 0;
      }
      String[] base = {"service_name", s, "span_name", op, "span_kind", "SPAN_KIND_SERVER"};
      out.add(series("traces_span_metrics_calls_total", base, ts, calls, "status_code",
          "STATUS_CODE_UNSET"));
      out.add(series("traces_span_metrics_errors_total", base, ts, errors));
      for (double le : LE) {
        // A share of the calls at or under each bound; payments is the slowest.
        double share = Math.min(1, le * 10 / (k + 1));
        double[] b = new double[POINTS];
        for (int i = 0; i < POINTS; i++) {
          b[i] = Math.floor(calls[i] * share);
        }
        out.add(series("traces_span_metrics_duration_seconds_bucket", base, ts, b, "status_code",
            "STATUS_CODE_UNSET", "le", Double.toString(le)));
      }
      out.add(series("traces_span_metrics_duration_seconds_bucket", base, ts, calls,
          "status_code", "STATUS_CODE_UNSET", "le", "+Inf"));
    }
    double[] cpu = new double[POINTS];
    for (int i = 0; i < POINTS; i++) {
      cpu[i] = 0.35 + 0.2 * Math.sin(i / 10.0);
    }
    out.add(series("jvm_cpu_recent_utilization_ratio", new String[] {"job", "shop/checkout"}, ts,
        cpu));
    return out;
  }

  private static TimeSeries series(String name, String[] base, long[] ts, double[] values,
      String... extra) {
    List<String> nv = new ArrayList<>(List.of("__name__", name));
    nv.addAll(List.of(base));
    nv.addAll(List.of(extra));
    return new TimeSeries(Labels.of(nv.toArray(new String[0])), ts.clone(), values.clone());
  }
}
