package dev.sextant.ui.internal;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.query.promql.PromqlEngine;
import dev.sextant.query.promql.QueryException;
import dev.sextant.query.promql.QueryResult;
import dev.sextant.query.signals.GoldenSignals;
import dev.sextant.storage.SpanSearch;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.TraceSummary;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.SpanMetricNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /ui/services/{service}?range=1h&operation=}: the four golden signals of a service (or one
 * operation) as charts over the range ({@link GoldenSignals}), its top operations by traffic with
 * error rate and p90, and its slowest and failed traces in that range.
 */
public final class ServicePage extends Page {
  static final int TOP_OPERATIONS = 20;
  static final int TRACES = 5;
  private final SpanSearch search;
  private final PromqlEngine engine;

  public ServicePage(Templates templates, SpanSearch search, PromqlEngine engine) {
    super(templates);
    this.search = search;
    this.engine = engine;
  }

  @Override
  HttpResponse render(ServiceRequestContext ctx, Params p) {
    String service = ctx.pathParam("service");
    Map<String, Object> scope = Templates.scope(service, "services");
    String range = p.str("range").isEmpty() ? "1h" : p.str("range");
    String operation = p.str("operation");
    long rangeMs = Ranges.millis("range", range);
    String lookback = Lookback.closest(range);
    String enc = Formats.url(service);
    String opq = operation.isEmpty() ? "" : "&operation=" + Formats.url(operation);
    scope.put("service", service);
    scope.put("color", Formats.color(service));
    scope.put("operation", operation.isEmpty() ? null : operation);
    scope.put("range", range);
    scope.put("ranges", Ranges.options(range));
    scope.put("operations", ServicesPage.options(search.spanNames(service), operation));
    scope.put("uplot", ServicesPage.UPLOT);
    scope.put("slowLink", "/ui/search?service=" + enc + opq + "&order=duration&lookback="
        + lookback);
    scope.put("errorsLink", "/ui/search?service=" + enc + opq + "&errors=on&lookback=" + lookback);
    scope.put("logsLink", "/ui/logs?service=" + enc + "&lookback=" + lookback);
    scope.put("mapLink", "/ui/map?lookback=" + lookback);
    scope.put("compareLink", ComparePage.link(service, operation, "error", lookback));
    scope.put("criticalPathLink", operation.isEmpty() ? null
        : CriticalPathPage.link(service, operation, range));
    long end = System.currentTimeMillis();
    long step = ServicesPage.step(rangeMs);
    long window = ServicesPage.window(step);
    GoldenSignals.Result r = new GoldenSignals(engine).query(service,
        operation.isEmpty() ? null : operation, end - rangeMs, end, step, window);
    scope.put("charts", charts(r, end - rangeMs, end, step));
    scope.put("spanKind", r.spanKind().equals("any") ? "all spans" : "server spans");
    scope.put("stepShown", Formats.duration(step * 1_000_000));
    scope.put("topOperations", topOperations(service, r.spanKind(), window, end, range));
    long fromNs = (end - rangeMs) * 1_000_000L;
    scope.put("slowest", traces(service, operation, fromNs, false));
    scope.put("failed", traces(service, operation, fromNs, true));
    return templates.page(HttpStatus.OK, "service", scope);
  }

  private static List<Map<String, Object>> charts(GoldenSignals.Result r, long start, long end,
      long step) {
    List<QueryResult.Series> latency = new ArrayList<>();
    List<Map<String, Object>> out = new ArrayList<>();
    List<Map<String, Object>> saturation = new ArrayList<>();
    for (GoldenSignals.Signal s : r.signals()) {
      if (s.name().startsWith("latency.")) {
        // One chart, three lines: relabel each quantile's single series by its name.
        for (QueryResult.Series x : s.series()) {
          latency.add(new QueryResult.Series(Labels.of(
              "__name__", s.name().substring(8)), x.timesMs(), x.values()));
        }
        if (s.name().equals("latency.p99")) {
          out.add(chart("latency", "Latency", "seconds", s.query(), latency, start, end, step));
        }
      } else if (s.name().startsWith("saturation.")) {
        saturation.add(chart(s.name(), "Saturation: " + s.name().substring(11), s.unit(),
            s.query(), s.series(), start, end, step));
      } else {
        out.add(chart(s.name(), s.name().equals("traffic") ? "Traffic" : "Errors", s.unit(),
            s.query(), s.series(), start, end, step));
      }
    }
    if (saturation.isEmpty()) {
      Map<String, Object> none = chart("saturation", "Saturation", "ratio", "", List.of(), start,
          end, step);
      none.put("hint", "No saturation metrics: send JVM metrics (" + GoldenSignals.CPU
          + ", jvm_memory_used_bytes …) with job=\"<service>\".");
      saturation.add(none);
    }
    out.addAll(saturation);
    return out;
  }

  private static Map<String, Object> chart(String id, String title, String unit, String query,
      List<QueryResult.Series> series, long start, long end, long step) {
    Map<String, Object> m = new HashMap<>();
    m.put("id", id.replace('.', '-'));
    m.put("title", title);
    m.put("seriesName", title.replace("Saturation: ", ""));
    m.put("query", query);
    m.put("queryLink", query.isEmpty() ? null : MetricsPage.link(query, "1h", "", "", "graph"));
    m.put("chart", Charts.json(Charts.of(series, start, end, step, unit, 10)));
    return m;
  }

  private List<Map<String, Object>> topOperations(String service, String kind, long windowMs,
      long endMs, String range) {
    Map<String, String> qs = GoldenSignals.byOperation(service, !kind.equals("any"),
        Math.max(windowMs, Ranges.millis("range", range)));
    Map<String, Double> traffic = byOperation(qs.get("traffic"), endMs);
    Map<String, Double> errors = byOperation(qs.get("errors"), endMs);
    Map<String, Double> p90 = byOperation(qs.get("p90"), endMs);
    List<Map.Entry<String, Double>> ops = new ArrayList<>(traffic.entrySet());
    ops.sort((a, b) -> Double.compare(b.getValue(), a.getValue()));
    String enc = Formats.url(service);
    String lookback = Lookback.closest(range);
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map.Entry<String, Double> e : ops.subList(0, Math.min(TOP_OPERATIONS, ops.size()))) {
      String op = e.getKey();
      double calls = e.getValue();
      double err = errors.getOrDefault(op, 0.0);
      Map<String, Object> m = new HashMap<>();
      m.put("name", op);
      m.put("traffic", Formats.value(calls, "requests/s"));
      m.put("errors", Formats.value(calls > 0 ? err / calls : Double.NaN, "ratio"));
      m.put("hasErrors", err > 0);
      m.put("p90", Formats.value(p90.getOrDefault(op, Double.NaN), "seconds"));
      String q = "service=" + enc + "&operation=" + Formats.url(op) + "&lookback=" + lookback;
      m.put("pageLink", "/ui/services/" + enc.replace("+", "%20") + "?range=" + range
          + "&operation=" + Formats.url(op));
      m.put("slowLink", "/ui/search?" + q + "&order=duration");
      m.put("errorsLink", "/ui/search?" + q + "&errors=on");
      m.put("criticalPathLink", CriticalPathPage.link(service, op, range));
      out.add(m);
    }
    return out;
  }

  private Map<String, Double> byOperation(String query, long atMs) {
    Map<String, Double> out = new HashMap<>();
    try {
      for (QueryResult.Sample s : engine.instantQuery(query, atMs).vector()) {
        String op = s.labels().get(SpanMetricNames.SPAN_NAME);
        if (Double.isFinite(s.value()) && op != null) {
          out.put(op, s.value());
        }
      }
    } catch (QueryException e) {
      // no RED series: the table stays empty
    }
    return out;
  }

  private List<Map<String, Object>> traces(String service, String operation, long fromNs,
      boolean failed) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (TraceSummary t : search.search(TraceQuery.builder().serviceName(service)
        .spanName(operation).errorsOnly(failed).timeRange(fromNs, Long.MAX_VALUE).limit(TRACES)
        .order(failed ? TraceQuery.Order.START_DESC : TraceQuery.Order.DURATION_DESC).build())) {
      out.add(Map.of("traceId", t.traceId(), "root", t.rootServiceName() + " " + t.rootSpanName(),
          "duration", Formats.duration(t.durationNanos()), "start", Formats.time(t.startUnixNano()),
          "errors", t.errorCount(), "hasErrors", t.errorCount() > 0));
    }
    return out;
  }
}
