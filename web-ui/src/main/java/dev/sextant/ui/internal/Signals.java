package dev.sextant.ui.internal;

import dev.sextant.query.promql.PromqlEngine;
import dev.sextant.query.promql.QueryException;
import dev.sextant.query.promql.QueryResult;
import dev.sextant.query.signals.GoldenSignals;
import dev.sextant.storage.metrics.SpanMetricNames;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Latency (p90), traffic, errors and saturation of every service at once, one range query per
 * signal grouped by {@code service_name} (not one per service), from the span-derived RED series,
 * by {@link GoldenSignals#byService}'s PromQL. As there, server spans count when a service has
 * them, else every kind; saturation is the JVM's recent CPU use of the service's {@code job}.
 */
final class Signals {
  /** The four signals' names, units and titles, in display order. */
  static final List<String[]> KINDS = List.of(
      new String[] {"latency", "seconds", "p90 latency"},
      new String[] {"traffic", "requests/s", "traffic"},
      new String[] {"errors", "ratio", "errors"},
      new String[] {"saturation", "ratio", "CPU"});

  final long startMs;
  final long endMs;
  final long stepMs;
  final long windowMs;
  /** signal → service → series. */
  private final Map<String, Map<String, QueryResult.Series>> bySignal = new HashMap<>();

  Signals(PromqlEngine engine, long startMs, long endMs, long stepMs, long windowMs) {
    this.startMs = startMs;
    this.endMs = endMs;
    this.stepMs = stepMs;
    this.windowMs = windowMs;
    for (boolean serverSpansOnly : new boolean[] {true, false}) {
      GoldenSignals.byService(serverSpansOnly, windowMs)
          .forEach((name, q) -> collect(engine, name, q, SpanMetricNames.SERVICE));
    }
    collect(engine, "saturation", GoldenSignals.SATURATION_BY_JOB, "job");
  }

  private void collect(PromqlEngine engine, String signal, String query, String label) {
    List<QueryResult.Series> matrix;
    try {
      matrix = engine.rangeQuery(query, startMs, endMs, stepMs).matrix();
    } catch (QueryException e) {
      return; // a missing signal shows as "no data", never as a broken page
    }
    Map<String, QueryResult.Series> m = bySignal.computeIfAbsent(signal, k -> new HashMap<>());
    for (QueryResult.Series s : matrix) {
      String v = s.labels().get(label);
      if (v == null) {
        continue;
      }
      // job "namespace/service" belongs to "service"; the first (server-kind) answer wins.
      m.putIfAbsent(label.equals("job") ? v.substring(v.indexOf('/') + 1) : v, s);
    }
  }

  /** The chart of one signal of one service (no series when it has no data). */
  Map<String, Object> chart(String signal, String unit, String service) {
    QueryResult.Series s = bySignal.getOrDefault(signal, Map.of()).get(service);
    return Charts.of(s == null ? List.of() : List.of(s), startMs, endMs, stepMs, unit, 1);
  }

  /** The last finite value of a signal of a service, or NaN. */
  double last(String signal, String service) {
    QueryResult.Series s = bySignal.getOrDefault(signal, Map.of()).get(service);
    if (s != null) {
      for (int i = s.values().length - 1; i >= 0; i--) {
        if (Double.isFinite(s.values()[i])) {
          return s.values()[i];
        }
      }
    }
    return Double.NaN;
  }
}
