package dev.sextant.alert.eval;

import dev.sextant.alert.query.QueryFunction;
import static java.util.Objects.requireNonNull;

import dev.sextant.alert.internal.Ticker;
import dev.sextant.alert.internal.notify.AlertEvent;
import dev.sextant.alert.internal.notify.NotifyFunction;
import dev.sextant.alert.internal.store.AlertDb;
import dev.sextant.alert.rules.RuleConfig;
import dev.sextant.alert.rules.RuleGroupConfig;
import dev.sextant.storage.metrics.AppendResult;
import dev.sextant.storage.metrics.MetricWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates rule groups on their intervals: writes recorded series and {@code ALERTS} /
 * {@code ALERTS_FOR_STATE} through the {@link MetricWriter}, sends alerts through the
 * {@link NotifyFunction}, and persists alert state after each evaluation so that a restart keeps
 * pending timers and firing alerts (and re-sends nothing before the resend delay).
 *
 * <p>Time comes from the {@link Clock}; {@link #tick()} evaluates every group that is due, which
 * is what {@link #start()} calls every second and what tests call directly.
 */
public final class RuleManager implements AutoCloseable {
  final Logger log = LoggerFactory.getLogger(RuleManager.class);
  final QueryFunction query;
  final Map<String, String> externalLabels;
  final String externalUrl;
  final Duration resendDelay;
  private final MetricWriter writer;
  private final NotifyFunction notifier;
  private final Clock clock;
  private final Duration defaultInterval;
  private final AlertDb db;
  private volatile List<RuleGroup> groups = List.of();
  private final Map<RuleGroup, Instant> lastRun = new HashMap<>();
  private Ticker scheduler;

  RuleManager(RuleManagerBuilder b) {
    this.query = b.query;
    this.writer = b.writer;
    this.notifier = b.notifier;
    this.clock = b.clock;
    this.defaultInterval = b.defaultInterval;
    this.resendDelay = b.resendDelay;
    this.externalLabels = Map.copyOf(b.externalLabels);
    this.externalUrl = b.externalUrl;
    this.db = b.db;
  }

  /**
   * Starts building a manager over {@code query}. Used by the engine, backtests and rule unit
   * tests; other modules reach the manager through {@link dev.sextant.alert.AlertEngine#rules()}.
   */
  public static RuleManagerBuilder builder(QueryFunction query) {
    return new RuleManagerBuilder(query);
  }

  /**
   * Replaces the rule groups (a reload). Alert state of rules that still exist (same file, group,
   * position and name) carries over, from memory or, on first load, from the state store.
   */
  public synchronized void update(List<RuleGroupConfig> configs) {
    requireNonNull(configs, "configs");
    Map<String, AlertingRule> old = new HashMap<>();
    for (RuleGroup g : groups) {
      for (int i = 0; i < g.rules().size(); i++) {
        if (g.rules().get(i) instanceof AlertingRule ar) {
          old.put(g.ruleKey(i), ar);
        }
      }
    }
    List<RuleGroup> next = new ArrayList<>();
    for (RuleGroupConfig c : configs) {
      List<Rule> rules = new ArrayList<>();
      for (RuleConfig rc : c.rules()) {
        Map<String, String> labels = new TreeMap<>(c.labels());
        labels.putAll(rc.labels());
        rules.add(rc.isAlert()
            ? new AlertingRule(rc.alert(), rc.expr(), rc.forDuration(), rc.keepFiringFor(), labels,
                rc.annotations())
            : new RecordingRule(rc.record(), rc.expr(), labels));
      }
      RuleGroup g = new RuleGroup(c.file(), c.name(),
          c.interval() == null ? defaultInterval : c.interval(), c.limit(), c.queryOffset(), rules);
      for (int i = 0; i < rules.size(); i++) {
        if (rules.get(i) instanceof AlertingRule ar) {
          AlertingRule prev = old.get(g.ruleKey(i));
          if (prev != null) {
            ar.restore(prev.snapshot());
          } else {
            restoreFromDb(g.ruleKey(i), ar);
          }
        }
      }
      next.add(g);
    }
    groups = List.copyOf(next);
    lastRun.keySet().retainAll(next);
  }

  private void restoreFromDb(String key, AlertingRule ar) {
    if (db == null) {
      return;
    }
    byte[] v = db.get(AlertDb.Table.ALERT_STATE, key.getBytes(StandardCharsets.UTF_8));
    if (v == null) {
      return;
    }
    try {
      ar.restore(AlertStateCodec.decode(v, clock.instant()));
    } catch (Exception e) {
      log.warn("cannot restore alert state of {}: {}", ar.name(), e.toString());
    }
  }

  /** The loaded groups, in file order; replaced as a whole by a reload. */
  public List<RuleGroup> groups() {
    return groups;
  }

  /** All alerts of all alerting rules (pending, firing, recently resolved). */
  public List<Alert> alerts() {
    List<Alert> out = new ArrayList<>();
    for (RuleGroup g : groups) {
      for (Rule r : g.rules()) {
        if (r instanceof AlertingRule ar) {
          out.addAll(ar.activeAlerts());
        }
      }
    }
    return out;
  }

  /** Evaluates every group whose interval has elapsed since its last evaluation. */
  public void tick() {
    Instant now = clock.instant();
    for (RuleGroup g : groups) {
      if (Thread.currentThread().isInterrupted()) {
        return; // close() stopped the ticker: no further group, nothing more to persist
      }
      Instant ts = g.evalTimestamp(now);
      Instant last;
      synchronized (this) {
        last = lastRun.get(g);
        if (last != null && !ts.isAfter(last)) {
          continue;
        }
        lastRun.put(g, ts);
      }
      evaluate(g, ts);
    }
  }

  /** Evaluates one group at {@code ts} now, regardless of its schedule. */
  public void evaluate(RuleGroup g, Instant ts) {
    RuleGroup.Result r = g.evaluate(ts, this);
    if (!r.series().isEmpty() && writer != null) {
      try {
        AppendResult appended = writer.append(r.series()).get(30, TimeUnit.SECONDS);
        if (!appended.allAccepted()) {
          storeRefused(g, appended);
        }
      } catch (InterruptedException e) {
        // Stopping: keep the flag so tick() ends here, and do not persist or send a half-done
        // evaluation (the next start evaluates again from the persisted state).
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        log.warn("writing {} series of group {} failed: {}", r.series().size(), g.name(), e.toString());
      }
    }
    persist(g, ts);
    if (!r.alerts().isEmpty()) {
      sendSafely(r.alerts());
    }
  }

  /**
   * Series the store refused (the tenant is at a series limit): the recording rules that made
   * them report the reason as their error, and the rest of the group's results are kept. Alerts
   * are still sent: only their {@code ALERTS} series could not be stored.
   */
  private void storeRefused(RuleGroup g, AppendResult appended) {
    log.warn("group {}: the store refused {} series: {}", g.name(), appended.refusedSeries(),
        appended.message());
    for (Rule rule : g.rules()) {
      if (rule instanceof RecordingRule rr && appended.refusedMetrics().contains(rr.name())) {
        rr.storeRefused(appended.message());
      }
    }
  }

  private void sendSafely(List<AlertEvent> alerts) {
    try {
      notifier.send(alerts);
    } catch (RuntimeException e) {
      log.warn("sending {} alerts failed: {}", alerts.size(), e.toString());
    }
  }

  private void persist(RuleGroup g, Instant ts) {
    if (db == null) {
      return;
    }
    for (int i = 0; i < g.rules().size(); i++) {
      if (g.rules().get(i) instanceof AlertingRule ar) {
        byte[] key = g.ruleKey(i).getBytes(StandardCharsets.UTF_8);
        db.put(AlertDb.Table.ALERT_STATE, key, AlertStateCodec.encode(ts, ar.snapshot()));
      }
    }
  }

  /** Starts evaluating on a daemon thread, checking every second which groups are due. */
  public synchronized void start() {
    if (scheduler != null) {
      return;
    }
    scheduler = Ticker.start("sextant-rule-eval", Duration.ZERO,
        Duration.ofSeconds(1), () -> tick(), log);
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.stop();
      scheduler = null;
    }
  }
}
