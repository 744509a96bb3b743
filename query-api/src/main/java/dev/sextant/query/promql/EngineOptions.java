package dev.sextant.query.promql;

import java.time.Duration;

/**
 * Engine limits and defaults. A query that would hold more than {@code maxSamples} samples fails
 * with {@link QueryException.Kind#EXECUTION}; one running longer than {@code timeout} fails with
 * {@link QueryException.Kind#TIMEOUT}; interrupting the querying thread cancels it
 * ({@link QueryException.Kind#CANCELED}).
 */
public record EngineOptions(long maxSamples, Duration timeout, Duration lookbackDelta,
    Duration defaultSubqueryStep) {
  public EngineOptions {
    if (maxSamples <= 0) {
      throw new IllegalArgumentException("maxSamples: " + maxSamples + " (expected: > 0)");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
    }
    if (lookbackDelta.isNegative() || lookbackDelta.isZero()) {
      throw new IllegalArgumentException("lookbackDelta: " + lookbackDelta + " (expected: > 0)");
    }
    if (defaultSubqueryStep.isNegative() || defaultSubqueryStep.isZero()) {
      throw new IllegalArgumentException(
          "defaultSubqueryStep: " + defaultSubqueryStep + " (expected: > 0)");
    }
  }

  /** 50 M samples, 2 minutes, 5 minute lookback, 1 minute subquery step (Prometheus defaults). */
  public static EngineOptions defaults() {
    return new EngineOptions(50_000_000, Duration.ofMinutes(2), Duration.ofMinutes(5),
        Duration.ofMinutes(1));
  }

  public EngineOptions withMaxSamples(long n) {
    return new EngineOptions(n, timeout, lookbackDelta, defaultSubqueryStep);
  }

  public EngineOptions withTimeout(Duration d) {
    return new EngineOptions(maxSamples, d, lookbackDelta, defaultSubqueryStep);
  }

  public EngineOptions withLookbackDelta(Duration d) {
    return new EngineOptions(maxSamples, timeout, d, defaultSubqueryStep);
  }
}
