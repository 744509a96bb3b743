package dev.sextant.query.promql;

import java.util.Map;

/**
 * Evals skipped on purpose, keyed {@code file:line} with the reason for each, e.g.
 * {@code Map.entry("functions.test:123", "needs X, not implemented")}. Native-histogram evals are
 * skipped separately by {@link PromqlConformanceTest#nativeHistogramReason}. Currently empty:
 * every float eval passes.
 */
final class KnownFailures {
  static final Map<String, String> REASONS = Map.of();

  private KnownFailures() {}
}
