package dev.sextant.alert.eval;

import dev.sextant.alert.query.QueryFunction;
import static java.util.Objects.requireNonNull;

import dev.sextant.alert.internal.notify.NotifyFunction;
import dev.sextant.alert.internal.store.AlertDb;
import dev.sextant.storage.metrics.MetricWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Builds a {@link RuleManager}. Only the query function is required. */
public final class RuleManagerBuilder {
  final QueryFunction query;
  MetricWriter writer;
  NotifyFunction notifier = alerts -> {};
  Clock clock = Clock.systemUTC();
  Duration defaultInterval = Duration.ofMinutes(1);
  Duration resendDelay = Duration.ofMinutes(1);
  Map<String, String> externalLabels = Map.of();
  String externalUrl = "";
  AlertDb db;

  RuleManagerBuilder(QueryFunction query) {
    this.query = requireNonNull(query, "query");
  }

  /** Where recorded series and ALERTS/ALERTS_FOR_STATE go; none by default. */
  public RuleManagerBuilder writer(MetricWriter writer) {
    this.writer = requireNonNull(writer, "writer");
    return this;
  }

  /** Receives the alerts to send after each evaluation; none by default. */
  public RuleManagerBuilder notifier(NotifyFunction notifier) {
    this.notifier = requireNonNull(notifier, "notifier");
    return this;
  }

  /** The time source of scheduling and alert state; the system UTC clock by default. */
  public RuleManagerBuilder clock(Clock clock) {
    this.clock = requireNonNull(clock, "clock");
    return this;
  }

  /** The interval of groups that set none (Prometheus's global evaluation_interval, 1m). */
  public RuleManagerBuilder defaultInterval(Duration interval) {
    requireNonNull(interval, "interval");
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("defaultInterval: " + interval + " (expected: > 0)");
    }
    this.defaultInterval = interval;
    return this;
  }

  /** How often a still-firing alert is re-sent (Prometheus's --rules.alert.resend-delay, 1m). */
  public RuleManagerBuilder resendDelay(Duration resendDelay) {
    this.resendDelay = requireNonNull(resendDelay, "resendDelay");
    return this;
  }

  /** Labels added to every alert and recorded series ({@code $externalLabels} in templates). */
  public RuleManagerBuilder externalLabels(Map<String, String> externalLabels) {
    this.externalLabels = requireNonNull(externalLabels, "externalLabels");
    return this;
  }

  /** The UI's base URL, for {@code $externalURL} and generator links. */
  public RuleManagerBuilder externalUrl(String externalUrl) {
    this.externalUrl = requireNonNull(externalUrl, "externalUrl").replaceAll("/+$", "");
    return this;
  }

  /** Persists alert state there after every evaluation and restores it on first load. */
  public RuleManagerBuilder stateStore(AlertDb db) {
    this.db = requireNonNull(db, "db");
    return this;
  }

  /** A manager with no groups; load them with {@link RuleManager#update}. */
  public RuleManager build() {
    return new RuleManager(this);
  }
}
