package dev.sextant.alert;

import dev.sextant.alert.query.QueryFunction;
import static java.util.Objects.requireNonNull;

import dev.sextant.alert.notify.EvidencePins;
import dev.sextant.alert.notify.EvidenceProvider;
import dev.sextant.alert.replication.StateListener;
import dev.sextant.alert.rules.ExprChecker;
import dev.sextant.storage.metrics.MetricWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Builds an {@link AlertEngine}; query function, data directory and notifier config required. */
public final class AlertEngineBuilder {
  final QueryFunction query;
  final Path dataDir;
  final NotifierConfig notifier;
  MetricWriter writer;
  Clock clock = Clock.systemUTC();
  ExprChecker checker = ExprChecker.basic();
  Duration defaultInterval = Duration.ofMinutes(1);
  Map<String, String> externalLabels = Map.of();
  String externalUrl = "";
  Duration initialBackoff = Duration.ofSeconds(1);
  Duration maxBackoff = Duration.ofMinutes(5);
  int breakerFailures = 5;
  Duration breakerOpenFor = Duration.ofSeconds(30);
  EvidenceProvider evidence;
  EvidencePins evidencePins;
  String tenant;
  boolean scopeKeys;
  StateListener stateListener;

  AlertEngineBuilder(QueryFunction query, Path dataDir, NotifierConfig notifier) {
    this.query = requireNonNull(query, "query");
    this.dataDir = requireNonNull(dataDir, "dataDir");
    this.notifier = requireNonNull(notifier, "notifier");
  }

  /** Where recorded series and ALERTS/ALERTS_FOR_STATE are written. */
  public AlertEngineBuilder writer(MetricWriter writer) {
    this.writer = requireNonNull(writer, "writer");
    return this;
  }

  /** The time source of evaluation, grouping and retries; the system UTC clock by default. */
  public AlertEngineBuilder clock(Clock clock) {
    this.clock = requireNonNull(clock, "clock");
    return this;
  }

  /** The PromQL syntax check for rule files; plug in the real parser here. */
  public AlertEngineBuilder exprChecker(ExprChecker checker) {
    this.checker = requireNonNull(checker, "checker");
    return this;
  }

  /**
   * The evaluation interval of groups that set none (Prometheus's global
   * {@code evaluation_interval}); 1m by default. Must be positive; checked by {@link #build()}.
   */
  public AlertEngineBuilder defaultInterval(Duration interval) {
    this.defaultInterval = requireNonNull(interval, "interval");
    return this;
  }

  /** Labels added to every alert and recorded series, as Prometheus's {@code external_labels}. */
  public AlertEngineBuilder externalLabels(Map<String, String> labels) {
    this.externalLabels = requireNonNull(labels, "labels");
    return this;
  }

  /** The UI base URL: {@code $externalURL}, generator links, webhook {@code externalURL}. */
  public AlertEngineBuilder externalUrl(String url) {
    this.externalUrl = requireNonNull(url, "url");
    return this;
  }

  /**
   * The retry delay of a failed delivery: {@code initial} (1s by default), doubling with each
   * attempt up to {@code max} (5m), with jitter. {@link #build()} refuses a non-positive
   * {@code initial} or a {@code max} below it.
   */
  public AlertEngineBuilder backoff(Duration initial, Duration max) {
    this.initialBackoff = requireNonNull(initial, "initial");
    this.maxBackoff = requireNonNull(max, "max");
    return this;
  }

  /**
   * A receiver's breaker opens after {@code failures} consecutive failed deliveries (5 by
   * default) and stays open for {@code openFor} (30s), then lets one probe through.
   * {@link #build()} refuses {@code failures} below 1.
   */
  public AlertEngineBuilder circuitBreaker(int failures, Duration openFor) {
    this.breakerFailures = failures;
    this.breakerOpenFor = requireNonNull(openFor, "openFor");
    return this;
  }

  /** Attaches example traces and error logs to firing pages. */
  public AlertEngineBuilder evidence(EvidenceProvider provider) {
    this.evidence = requireNonNull(provider, "provider");
    return this;
  }

  /**
   * Keeps the evidence of pages past retention: told of each firing page's evidence and each
   * resolved incident, by the page's dedup key (see {@link EvidencePins}).
   */
  public AlertEngineBuilder evidencePins(EvidencePins pins) {
    this.evidencePins = requireNonNull(pins, "pins");
    return this;
  }

  /**
   * The tenant whose alerts this engine evaluates: pages and webhooks name it and, when
   * {@code scopeKeys}, their dedup keys include it (see {@link AlertEngine#dedupKey}). Default: no
   * tenant, keys unscoped.
   */
  public AlertEngineBuilder tenant(String tenant, boolean scopeKeys) {
    this.tenant = requireNonNull(tenant, "tenant");
    this.scopeKeys = scopeKeys;
    return this;
  }

  /**
   * Tells {@code listener} of every write to the engine's durable state (alert states, silences,
   * notification log, outbox, audit), after it is durable locally; cluster mode replicates them
   * with it. See {@link StateListener} for threads and failures.
   */
  public AlertEngineBuilder stateListener(StateListener listener) {
    this.stateListener = requireNonNull(listener, "listener");
    return this;
  }

  /**
   * Opens the data directory and wires the engine; nothing runs until {@link AlertEngine#start()}
   * or {@link AlertEngine#tick()}.
   *
   * @throws IllegalArgumentException when a setting is out of range
   */
  public AlertEngine build() {
    return new AlertEngine(this);
  }
}
