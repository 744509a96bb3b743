package dev.sextant.query.promql;

import static java.util.Objects.requireNonNull;

import dev.sextant.storage.metrics.MetricReader;

/**
 * Evaluates PromQL (Prometheus 3.x semantics, float samples) against a {@link MetricReader}.
 * Implementations are thread-safe. Parse errors surface as {@link QueryException.Kind#BAD_DATA}.
 */
public interface PromqlEngine {
  static PromqlEngine of(MetricReader reader, EngineOptions options) {
    return new DefaultEngine(requireNonNull(reader, "reader"), requireNonNull(options, "options"));
  }

  /** Evaluates {@code query} at {@code timeMs}. */
  QueryResult instantQuery(String query, long timeMs);

  /**
   * Evaluates {@code query} at every step from {@code startMs} to {@code endMs} inclusive; the result
   * is a matrix (or an error for string-typed queries).
   */
  QueryResult rangeQuery(String query, long startMs, long endMs, long stepMs);
}
