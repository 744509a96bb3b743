package dev.sextant.alert;

import dev.sextant.alert.query.QueryFunction;
import dev.sextant.alert.delivery.AuditLog;
import dev.sextant.alert.notify.EvidencePins;
import dev.sextant.alert.eval.RuleManager;
import dev.sextant.alert.internal.delivery.DeliveryWorker;
import dev.sextant.alert.internal.delivery.Outbox;
import dev.sextant.alert.internal.delivery.OutboxSink;
import dev.sextant.alert.internal.delivery.PagerDutyReceiver;
import dev.sextant.alert.internal.delivery.Receiver;
import dev.sextant.alert.internal.notify.Dispatcher;
import dev.sextant.alert.internal.notify.DispatcherBuilder;
import dev.sextant.alert.internal.notify.InhibitRule;
import dev.sextant.alert.internal.notify.NotificationLog;
import dev.sextant.alert.internal.store.AlertDb;
import dev.sextant.alert.notify.Silences;
import dev.sextant.alert.replication.StateListener;
import dev.sextant.alert.rules.ExprChecker;
import dev.sextant.alert.rules.RuleFileResult;
import dev.sextant.alert.rules.RuleFiles;
import dev.sextant.alert.rules.RuleGroupConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * The whole alerting pipeline, wired: rule evaluation ({@link RuleManager}) → built-in
 * Alertmanager ({@link Dispatcher}: routing, grouping, silences, inhibition) → durable
 * {@link Outbox} → {@link DeliveryWorker} (retries, circuit breakers, {@link AuditLog}). State
 * lives in one RocksDB directory, so a restart keeps alerts, silences, sent-notification log and
 * undelivered pages.
 *
 * <p>{@link #start()} runs everything on background threads; tests call {@link #tick()} instead,
 * with a controllable clock.
 */
public final class AlertEngine implements AutoCloseable {
  private final AlertDb db;
  private final RuleManager rules;
  private final Dispatcher dispatcher;
  private final Silences silences;
  private final Outbox outbox;
  private final AuditLog audit;
  private final DeliveryWorker worker;
  private final ExprChecker checker;
  private final String tenant;
  private final boolean scopeKeys;
  private final NotifierConfig notifier;
  private final Instant startedAt;
  private volatile List<String> rulePatterns = List.of();
  private volatile String ruleSignature = "";
  private ScheduledExecutorService reloader;
  private final @Nullable EvidencePins pins;

  AlertEngine(AlertEngineBuilder b) {
    this.pins = b.evidencePins;
    StateListener l = b.stateListener;
    this.db = AlertDb.open(b.dataDir, l == null ? null
        : (t, k, v) -> l.changed(t.name().toLowerCase(Locale.ROOT), k, v));
    try {
      Clock clock = b.clock;
      this.notifier = b.notifier;
      this.startedAt = clock.instant();
      this.checker = b.checker;
      this.tenant = b.tenant;
      this.scopeKeys = b.tenant != null && b.scopeKeys;
      List<Receiver> receivers = b.notifier.receivers();
      if (tenant != null) {
        receivers = receivers.stream().map(r -> r.forTenant(tenant, scopeKeys)).toList();
      }
      this.silences = new Silences(db, clock);
      this.outbox = new Outbox(db);
      this.audit = new AuditLog(db);
      OutboxSink sink = new OutboxSink(outbox, receivers, clock, b.evidence);
      if (b.evidencePins != null) {
        String keyTenant = scopeKeys ? tenant : null;
        sink.pins(b.evidencePins, (r, g) -> PagerDutyReceiver.dedupKey(keyTenant, r, g));
      }
      DispatcherBuilder d = Dispatcher.builder(b.notifier.route(), sink).clock(clock)
          .silences(silences).notificationLog(new NotificationLog(db)).externalUrl(b.externalUrl);
      for (InhibitRule r : b.notifier.inhibitRules()) {
        d.inhibitRule(r);
      }
      this.dispatcher = d.build();
      var rb = RuleManager.builder(b.query).clock(clock).notifier(dispatcher).stateStore(db)
          .defaultInterval(b.defaultInterval).externalLabels(b.externalLabels)
          .externalUrl(b.externalUrl);
      if (b.writer != null) {
        rb.writer(b.writer);
      }
      this.rules = rb.build();
      this.worker = DeliveryWorker.builder(outbox, audit).clock(clock)
          .backoff(b.initialBackoff, b.maxBackoff).circuitBreaker(b.breakerFailures, b.breakerOpenFor)
          .integrations(receivers).build();
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  /**
   * Starts building an engine that evaluates rules with {@code query}, keeps its state in
   * {@code dataDir} (created if missing; one engine per directory) and notifies as
   * {@code notifier} says. {@link AlertEngineBuilder#build()} opens the directory.
   */
  public static AlertEngineBuilder builder(QueryFunction query, Path dataDir,
      NotifierConfig notifier) {
    return new AlertEngineBuilder(query, dataDir, notifier);
  }

  /**
   * Loads rule files (paths or globs) and applies them only when every file is valid, as a
   * Prometheus reload does. Returns the per-file results (errors and warnings) either way.
   */
  public synchronized List<RuleFileResult> loadRules(List<String> pathsOrGlobs) {
    rulePatterns = List.copyOf(pathsOrGlobs);
    ruleSignature = signature(pathsOrGlobs);
    List<RuleFileResult> results = RuleFiles.loadAll(pathsOrGlobs, checker);
    if (results.stream().allMatch(RuleFileResult::ok)) {
      List<RuleGroupConfig> groups = new ArrayList<>();
      results.forEach(r -> groups.addAll(r.groups()));
      rules.update(groups);
    }
    return results;
  }

  /**
   * Reloads the rule files when any of them changed (added, removed, modified) since the last
   * load; returns the results, or null when nothing changed. {@link #start()} calls this every
   * 10 seconds; {@code POST /-/reload} should call {@link #loadRules} with the configured paths.
   */
  public synchronized @Nullable List<RuleFileResult> reloadIfChanged() {
    if (rulePatterns.isEmpty() || signature(rulePatterns).equals(ruleSignature)) {
      return null;
    }
    return loadRules(rulePatterns);
  }

  private static String signature(List<String> patterns) {
    StringBuilder sb = new StringBuilder();
    for (Path p : RuleFiles.expand(patterns)) {
      sb.append(p).append('|');
      try {
        sb.append(Files.getLastModifiedTime(p).toMillis()).append('|')
            .append(Files.size(p));
      } catch (IOException e) {
        sb.append("missing");
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** One synchronous round: evaluate due groups, flush due alert groups, deliver due pages. */
  public void tick() {
    rules.tick();
    dispatcher.tick();
    worker.runOnce();
  }

  /** Runs evaluation, dispatch and delivery on background daemon threads. */
  public void start() {
    rules.start();
    dispatcher.start();
    worker.start(Duration.ofMillis(500));
    synchronized (this) {
      if (reloader == null) {
        reloader = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "sextant-rule-reload");
          t.setDaemon(true);
          return t;
        });
        reloader.scheduleWithFixedDelay(() -> {
          try {
            List<RuleFileResult> r = reloadIfChanged();
            if (r != null && !r.stream().allMatch(RuleFileResult::ok)) {
              r.forEach(f -> f.errors().forEach(e -> LoggerFactory
                  .getLogger(AlertEngine.class).error("rule reload rejected: {}", e)));
            }
          } catch (RuntimeException e) {
            LoggerFactory.getLogger(AlertEngine.class).warn("rule reload failed", e);
          }
        }, 10, 10, TimeUnit.SECONDS);
      }
    }
  }

  /** The tenant set with {@link AlertEngineBuilder#tenant}, or null. */
  public @Nullable String tenant() {
    return tenant;
  }

  /** The dedup key this engine's receivers give {@code groupKey} (tenant-scoped or not). */
  public String dedupKey(String receiver, String groupKey) {
    return PagerDutyReceiver.dedupKey(scopeKeys ? tenant : null, receiver, groupKey);
  }

  /** The loaded rule groups, their rules and active alerts (read-only use). */
  public RuleManager rules() {
    return rules;
  }

  /**
   * The built-in Alertmanager: routing, grouping, inhibition and the alerts it holds, both the
   * rules' and those posted to {@code /api/v2/alerts}. For the HTTP API (an internal type).
   */
  public Dispatcher dispatcher() {
    return dispatcher;
  }

  /** The notifier config this engine routes and delivers with. */
  public NotifierConfig notifier() {
    return notifier;
  }

  /** When this engine was built (Alertmanager's status {@code uptime}). */
  public Instant startedAt() {
    return startedAt;
  }

  /** The silences: add, expire, list, and which silences mute a label set. */
  public Silences silences() {
    return silences;
  }

  /** Pages waiting for delivery; for tests. */
  Outbox outbox() {
    return outbox;
  }

  /** Every delivery attempt, newest first. */
  public AuditLog audit() {
    return audit;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (reloader != null) {
        reloader.shutdownNow();
        reloader = null;
      }
    }
    worker.close();
    dispatcher.close();
    rules.close();
    if (pins != null) {
      pins.close(); // after the dispatcher: no page can tell it anything more
    }
    db.close();
  }
}
