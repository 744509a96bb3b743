package dev.sextant.query.signals;

import static java.util.Objects.requireNonNull;

import dev.sextant.query.promql.PromqlEngine;
import dev.sextant.query.promql.QueryResult;
import dev.sextant.storage.metrics.SpanMetricNames;
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
 *
 * <p>This class is the one place golden-signal PromQL is written: per service ({@link #queries}),
 * for every service at once ({@link #byService}) and per operation of a service
 * ({@link #byOperation}); metric names come from {@link SpanMetricNames}.
 */
public final class GoldenSignals {
  /** Process CPU use, the saturation signal the overview pages show. */
  public static final String CPU = "jvm_cpu_recent_utilization_ratio";
  /** Saturation of every service at once: {@link #CPU} by {@code job}. */
  public static final String SATURATION_BY_JOB = "max by (job) (" + CPU + ")";

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
    String kind = SpanMetricNames.KIND_SERVER;
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
    StringBuilder red = new StringBuilder(SpanMetricNames.SERVICE).append('=')
        .append(quote(service));
    if (operation != null) {
      red.append(',').append(SpanMetricNames.SPAN_NAME).append('=').append(quote(operation));
    }
    if (!spanKind.isEmpty()) {
      red.append(',').append(SpanMetricNames.SPAN_KIND).append('=').append(quote(spanKind));
    }
    String w = "[" + windowMs + "ms]";
    String sel = "{" + red + "}";
    String job = "job=~" + quote("(.+/)?" + regexQuote(service));
    Map<String, String[]> q = new LinkedHashMap<>();
    for (String p : new String[] {"0.5", "0.9", "0.99"}) {
      q.put("latency.p" + p.substring(2) + (p.length() == 3 ? "0" : ""), new String[] {"seconds",
          "histogram_quantile(" + p + ", sum by (le) ("
              + "rate(" + SpanMetricNames.DURATION_BUCKET + sel + w + ")))"});
    }
    q.put("traffic", new String[] {"requests/s",
        "sum(rate(" + SpanMetricNames.CALLS + sel + w + "))"});
    q.put("errors", new String[] {"ratio",
        "(sum(rate(" + SpanMetricNames.ERRORS + sel + w + ")) or vector(0))"
            + " / sum(rate(" + SpanMetricNames.CALLS + sel + w + "))"});
    q.put("saturation.cpu", new String[] {"ratio",
        "max(" + CPU + "{" + job + "})"});
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

  /**
   * p90 latency ({@code latency}), {@code traffic} and {@code errors} of every service at once,
   * each grouped by {@code service_name}, with rates over {@code windowMs}; over server spans
   * only when {@code serverSpansOnly}. Saturation of every service is {@link #SATURATION_BY_JOB}.
   */
  public static Map<String, String> byService(boolean serverSpansOnly, long windowMs) {
    String sel = serverSpansOnly ? "{" + serverKind() + "}" : "";
    String w = "[" + windowMs + "ms]";
    String by = "sum by (" + SpanMetricNames.SERVICE;
    String calls = by + ") (rate(" + SpanMetricNames.CALLS + sel + w + "))";
    Map<String, String> qs = new LinkedHashMap<>();
    qs.put("latency", "histogram_quantile(0.9, " + by + ", le) (rate("
        + SpanMetricNames.DURATION_BUCKET + sel + w + ")))");
    qs.put("traffic", calls);
    qs.put("errors", "(" + by + ") (rate(" + SpanMetricNames.ERRORS + sel + w + "))"
        + " or 0 * " + calls + ") / " + calls);
    return qs;
  }

  /**
   * {@code traffic}, {@code errors} (per second, not a ratio) and {@code p90} latency of each
   * operation of {@code service}, grouped by {@code span_name}, for instant queries; over server
   * spans only when {@code serverSpansOnly}.
   */
  public static Map<String, String> byOperation(String service, boolean serverSpansOnly,
      long windowMs) {
    String sel = "{" + SpanMetricNames.SERVICE + "=" + quote(service)
        + (serverSpansOnly ? "," + serverKind() : "") + "}";
    String w = "[" + windowMs + "ms]";
    String by = "sum by (" + SpanMetricNames.SPAN_NAME;
    Map<String, String> qs = new LinkedHashMap<>();
    qs.put("traffic", by + ") (rate(" + SpanMetricNames.CALLS + sel + w + "))");
    qs.put("errors", by + ") (rate(" + SpanMetricNames.ERRORS + sel + w + "))");
    qs.put("p90", "histogram_quantile(0.9, " + by + ", le) (rate("
        + SpanMetricNames.DURATION_BUCKET + sel + w + ")))");
    return qs;
  }

  private static String serverKind() {
    return SpanMetricNames.SPAN_KIND + "=" + quote(SpanMetricNames.KIND_SERVER);
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
