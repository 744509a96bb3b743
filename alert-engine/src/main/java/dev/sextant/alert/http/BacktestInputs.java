package dev.sextant.alert.http;

import dev.sextant.query.TimeParams;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Parsing shared by the backtest command and API: instants and silence matcher lists. */
public final class BacktestInputs {
  private BacktestInputs() {}

  /**
   * An instant given as RFC 3339 ({@code 2026-11-27T10:00:00Z}) or unix seconds (fraction and
   * exponent allowed), by Prometheus's {@code parseTime} rules ({@link TimeParams}).
   *
   * @throws IllegalArgumentException naming {@code name} and the expected forms
   */
  public static Instant time(String name, String value) {
    if (value == null) {
      throw new IllegalArgumentException(name + ": missing (expected: RFC 3339 or unix seconds)");
    }
    try {
      return Instant.ofEpochMilli(TimeParams.timeMillis(value));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + TimeParams.quote(value)
          + " (expected: RFC 3339 like 2026-11-27T10:00:00Z, or unix seconds)", e);
    }
  }

  /**
   * A step: float seconds or a Prometheus duration ({@code 30s}, {@code 1m}), by Prometheus's
   * {@code parseDuration} rules; must be positive.
   *
   * @throws IllegalArgumentException naming {@code step}
   */
  public static Duration step(String value) {
    try {
      long ms = TimeParams.durationMillis(value);
      if (ms > 0) {
        return Duration.ofMillis(ms);
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new IllegalArgumentException("step: " + TimeParams.quote(value)
        + " (expected: a positive duration like 30s or 1m, or seconds)");
  }

  /** Splits {@code a="x",b=~"y"} into matchers, at the commas that start a new label. */
  public static List<String> matchers(String commaSeparated) {
    return List.of(commaSeparated.split(",(?=\\s*[a-zA-Z_]+\\s*(=|!=|=~|!~))"));
  }
}
