package dev.sextant.alert.eval;

import dev.sextant.alert.query.Sample;
import static java.util.Objects.requireNonNull;

import dev.sextant.alert.internal.notify.AlertEvent;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.StaleMarker;
import dev.sextant.storage.metrics.TimeSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A rule group: rules evaluated in order, at one timestamp, every {@code interval}. Series a rule
 * wrote last time but not this time get a staleness marker, as in Prometheus.
 */
public final class RuleGroup {
  private final String file;
  private final String name;
  private final Duration interval;
  private final int limit;
  private final Duration queryOffset;
  private final List<Rule> rules;
  private final List<Set<Labels>> previousSeries = new ArrayList<>();
  private volatile Instant lastEvaluation;
  private volatile Duration lastDuration = Duration.ZERO;

  RuleGroup(String file, String name, Duration interval, int limit, Duration queryOffset,
      List<Rule> rules) {
    this.file = requireNonNull(file, "file");
    this.name = requireNonNull(name, "name");
    this.interval = requireNonNull(interval, "interval");
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("interval: " + interval + " (expected: > 0)");
    }
    this.limit = limit;
    this.queryOffset = queryOffset == null ? Duration.ZERO : queryOffset;
    this.rules = List.copyOf(rules);
    for (int i = 0; i < rules.size(); i++) {
      previousSeries.add(Set.of());
    }
  }

  /** The rule file the group came from. */
  public String file() {
    return file;
  }

  public String name() {
    return name;
  }

  /** The group's evaluation interval (its own or the default). */
  public Duration interval() {
    return interval;
  }

  /** Most alerts or series one evaluation may produce; 0 means no limit. */
  public int limit() {
    return limit;
  }

  /** The group's rules, in file order. */
  public List<Rule> rules() {
    return rules;
  }

  /** When the group was last evaluated, or null before its first evaluation. */
  public @Nullable Instant lastEvaluation() {
    return lastEvaluation;
  }

  /** How long the last evaluation took; zero before the first. */
  public Duration lastDuration() {
    return lastDuration;
  }

  /** The key under which a rule's alert state is persisted. */
  String ruleKey(int index) {
    return file + "\u0000" + name + "\u0000" + index + "\u0000" + rules.get(index).name();
  }

  /** The evaluation timestamp for wall time {@code now}: aligned down to the interval. */
  Instant evalTimestamp(Instant now) {
    long iv = interval.toMillis();
    return Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), iv) * iv);
  }

  /** The result of one evaluation: series to append and alerts to send. */
  record Result(List<TimeSeries> series, List<AlertEvent> alerts) {}

  synchronized Result evaluate(Instant ts, RuleManager m) {
    long start = System.nanoTime();
    List<TimeSeries> series = new ArrayList<>();
    List<AlertEvent> alerts = new ArrayList<>();
    Instant queryTs = ts.minus(queryOffset);
    EvalContext ctx = new EvalContext(queryTs, m.query, m.externalLabels, m.externalUrl, limit);
    long ms = queryTs.toEpochMilli();
    for (int i = 0; i < rules.size(); i++) {
      Rule r = rules.get(i);
      Set<Labels> now = new HashSet<>();
      try {
        for (Sample s : r.eval(ctx)) {
          now.add(s.labels());
          series.add(TimeSeries.of(s.labels(), ms, s.value()));
        }
      } catch (RuleEvaluationException e) {
        m.log.warn("rule {} in group {} failed: {}", r.name(), name, e.getMessage());
        // As in Prometheus, a failed evaluation writes no stale markers.
        now = previousSeries.get(i);
      }
      for (Labels gone : previousSeries.get(i)) {
        if (!now.contains(gone)) {
          series.add(TimeSeries.of(gone, ms, StaleMarker.VALUE));
        }
      }
      previousSeries.set(i, now);
      if (r instanceof AlertingRule ar) {
        alerts.addAll(ar.alertsToSend(ts, m.resendDelay, interval, m.externalUrl));
      }
    }
    lastEvaluation = ts;
    lastDuration = Duration.ofNanos(System.nanoTime() - start);
    return new Result(series, alerts);
  }
}
