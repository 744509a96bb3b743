package dev.sextant.alert.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** Builds an {@link AlertApi}. {@link #engines} is required. */
public final class AlertApiBuilder {
  private AlertApi.Engines engines;
  private Duration backtestTimeout = Duration.ofSeconds(30);

  AlertApiBuilder() {}

  /** The engines the routes act on, per request. */
  public AlertApiBuilder engines(AlertApi.Engines engines) {
    this.engines = requireNonNull(engines, "engines");
    return this;
  }

  /**
   * Longest a {@code POST /api/alerts/backtest} replay may run (default 30 s); past it the
   * replay stops and the request is answered 503.
   */
  public AlertApiBuilder backtestTimeout(Duration timeout) {
    requireNonNull(timeout, "timeout");
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("backtestTimeout: " + timeout + " (expected: > 0)");
    }
    this.backtestTimeout = timeout;
    return this;
  }

  /**
   * Builds the API.
   *
   * @throws IllegalStateException when no engines were set
   */
  public AlertApi build() {
    if (engines == null) {
      throw new IllegalStateException("engines: not set (expected: engines(Engines) called)");
    }
    return new AlertRoutes(engines, backtestTimeout);
  }
}
