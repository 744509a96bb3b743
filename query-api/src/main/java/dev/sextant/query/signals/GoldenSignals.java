package dev.sextant.query.signals;

import static java.util.Objects.requireNonNull;

import dev.sextant.query.promql.PromqlEngine;
import dev.sextant.query.promql.QueryResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Latency, traffic, errors and saturation of a service (or one of its operations) as range
 * queries through the PromQL engine.
 *
 * <p>Latency, traffic and errors come from the span-derived RED series the collector writes,
 * restricted to {@code span_kind="SPAN_KIND_SERVER"} when the service has server spans, otherwise
 * over every kind: {@code traces_span_metrics_duration_seconds_bucket} (p50/p90/p99 by
 * {@code histogram_quantile} over {@code rate(...[window])}), {@code traces_span_metrics_calls_total}
 * (requests/s) and {@code traces_span_metrics_errors_total} (errors / calls). Saturation is
 * process-level (the same for every operation) from the series the Java agent and apps send,
 * matched by {@code job="<service>"} or {@code job="<namespace>/<service>"}; each is returned only
 * when it has data. {@link #queries} lists every expression.
 */
public final class GoldenSignals {
  private final PromqlEngine engine;

  public GoldenSignals(PromqlEngine engine) {
    this.engine = requireNonNull(engine, "engine");
  }

  /** One named signal: its PromQL and one point list per resulting series (usually one). */
  public record Signal(String name, String unit, String query, List<QueryResult.Series> series) {}

  /** The signals, in the order of {@link #queries}; saturation signals without data are absent. */
  public record Result(String spanKind, List<Signal> signals) {}

  /**
   * Evaluates every signal from {@code startMs} to {@code endMs} every {@code stepMs}, with rates
   * over {@code windowMs}.
   *
   * @param operation span name, or null for the whole service
   */
  public Result query(String service, String operation, long startMs, long endMs, long stepMs,
      long windowMs) {
    requireNonNull(service, "service");
    String kind = "SPAN_KIND_SERVER";
    Map<String, String[]> qs = queries(service, operation, kind, windowMs);
    QueryResult probe = engine.rangeQuery(qs.get("traffic")[1], startMs, endMs, stepMs);
    if (probe.matrix().isEmpty()) {
      kind = "";
      qs = queries(service, operation, kind, windowMs);
    }
    List<Signal> out = new ArrayList<>();
    for (Map.Entry<String, String[]> e : qs.entrySet()) {
      String[] unitAndQuery = e.getValue();
      List<QueryResult.Series> series =
          engine.rangeQuery(unitAndQuery[1], startMs, endMs, stepMs).matrix();
      if (e.getKey().startsWith("saturation.") && series.isEmpty()) {
        continue;
      }
      out.add(new Signal(e.getKey(), unitAndQuery[0], unitAndQuery[1], series));
    }
    return new Result(kind.isEmpty() ? "any" : kind, out);
  }

  /**
   * Every expression by signal name, each as {unit, PromQL}. {@code spanKind} empty means every
   * kind.
   */
  public static Map<String, String[]> queries(String service, String operation, String spanKind,
      long windowMs) {
    StringBuilder red = new StringBuilder("service_name=").append(quote(service));
    if (operation != null) {
      red.append(",span_name=").append(quote(operation));
    }
    if (!spanKind.isEmpty()) {
      red.append(",span_kind=").append(quote(spanKind));
    }
    String w = "[" + windowMs + "ms]";
    String sel = "{" + red + "}";
    String job = "job=~" + quote("(.+/)?" + regexQuote(service));
    Map<String, String[]> q = new LinkedHashMap<>();
    for (String p : new String[] {"0.5", "0.9", "0.99"}) {
      q.put("latency.p" + p.substring(2) + (p.length() == 3 ? "0" : ""), new String[] {"seconds",
          "histogram_quantile(" + p + ", sum by (le) ("
              + "rate(traces_span_metrics_duration_seconds_bucket" + sel + w + ")))"});
    }
    q.put("traffic", new String[] {"requests/s",
        "sum(rate(traces_span_metrics_calls_total" + sel + w + "))"});
    q.put("errors", new String[] {"ratio",
        "(sum(rate(traces_span_metrics_errors_total" + sel + w + ")) or vector(0))"
            + " / sum(rate(traces_span_metrics_calls_total" + sel + w + "))"});
    q.put("saturation.cpu", new String[] {"ratio",
        "max(jvm_cpu_recent_utilization_ratio{" + job + "})"});
    q.put("saturation.heap", new String[] {"ratio",
        "max(sum by (instance) (jvm_memory_used_bytes{" + job + ",jvm_memory_type=\"heap\"})"
            + " / sum by (instance) (jvm_memory_limit_bytes{" + job
            + ",jvm_memory_type=\"heap\"}))"});
    q.put("saturation.threads", new String[] {"threads",
        "sum(jvm_thread_count{" + job + "})"});
    q.put("saturation.dbConnectionsUsed", new String[] {"connections",
        "sum(db_client_connections_usage{" + job + ",state=\"used\"})"});
    q.put("saturation.dbPoolUsage", new String[] {"ratio",
        "max(db_connection_pool_usage{" + job + "})"});
    return q;
  }

  /** A PromQL double-quoted string literal. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> b.append(c);
      }
    }
    return b.append('"').toString();
  }

  /** Escapes regex metacharacters so a service name matches literally. */
  static String regexQuote(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }
}
