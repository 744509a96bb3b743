package dev.sextant.server.alerting;

import static java.util.Objects.requireNonNull;

import dev.sextant.alert.AlertEngine;
import dev.sextant.alert.AlertEngineBuilder;
import dev.sextant.alert.NotifierConfig;
import dev.sextant.alert.query.QueryFunction;
import dev.sextant.alert.http.AlertApi;
import dev.sextant.alert.promql.PromqlExprChecker;
import dev.sextant.alert.promql.PromqlQueryFunction;
import dev.sextant.alert.promql.TraceEvidence;
import dev.sextant.alert.replication.StateListener;
import dev.sextant.alert.rules.RuleFileResult;
import dev.sextant.query.promql.EngineOptions;
import dev.sextant.query.promql.PromqlEngine;
import dev.sextant.server.tenancy.TenantContext;
import dev.sextant.server.tenancy.TenantStorage;
import dev.sextant.storage.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link AlertEngine} per tenant, as Mimir's and Loki's ruler run one per tenant. A tenant's
 * rules query only that tenant's store (its own PromQL engine), its pages carry trace and log
 * evidence from that store only, recording rules write into it, and its alert state, silences,
 * outbox and audit trail live in {@code <tenant dir>/alerts} (see {@link TenantStorage#dirOf}).
 *
 * <p>Rule files: the default tenant's are {@code alerting.rules}; tenant {@code t}'s are
 * {@code <tenantRulesDir>/t/*.yml} and {@code *.yaml} (the ruler's local storage layout; the
 * default tenant's sub-directory is added to its files). An engine starts for every tenant that
 * has a rules sub-directory or stored alert state, for a new sub-directory within 10 seconds, and
 * for any other tenant on its first alerting request (so it can list, and silence ahead of time).
 * Notifications follow the shared notifier config, or the tenant's own where one is given. As
 * {@link AlertApi.Engines}, it gives the alert HTTP API the engine of the request's tenant.
 */
public final class TenantAlerting implements NodeAlerting {
  private static final Logger log = LoggerFactory.getLogger(TenantAlerting.class);
  private static final long SCAN_SECONDS = 10;
  /** How often evidence pins that missed a store are made again, and for how long at most. */
  private static final Duration PIN_RETRY = Duration.ofSeconds(30);
  private static final Duration PIN_GIVE_UP = Duration.ofHours(1);

  private final AlertStores storage;
  private final List<String> defaultRuleFiles;
  private final Path tenantRulesDir;
  private final NotifierConfig notifier;
  private final Map<String, NotifierConfig> tenantNotifiers = new HashMap<>();
  private final String uiUrl;
  private final Duration evaluationInterval;
  private final Map<String, AlertEngine> engines = new ConcurrentHashMap<>();
  private final Set<String> skipped = ConcurrentHashMap.newKeySet();
  private ScheduledExecutorService scanner;
  private @Nullable ScheduledExecutorService pinWorker;
  private boolean closed;

  /**
   * @param tenantRulesDir a directory with one sub-directory of rule files per tenant, or null
   * @param notifier Alertmanager-shaped routing shared by every tenant, for {@code uiUrl}
   */
  public TenantAlerting(AlertStores storage, List<String> ruleFiles, Path tenantRulesDir,
      Function<String, NotifierConfig> notifier, String uiUrl, Duration evaluationInterval) {
    this(storage, ruleFiles, tenantRulesDir, notifier, Map.of(), uiUrl, evaluationInterval);
  }

  /**
   * As above, with {@code tenantNotifiers}: tenants whose alerts are routed by their own
   * notifier config instead of the shared one.
   *
   * @throws IllegalArgumentException naming {@code alerting.tenantNotifiers.<tenant>} and the
   *     field when a config is invalid or a tenant name is
   */
  public TenantAlerting(AlertStores storage, List<String> ruleFiles, Path tenantRulesDir,
      Function<String, NotifierConfig> notifier,
      Map<String, Function<String, NotifierConfig>> tenantNotifiers, String uiUrl,
      Duration evaluationInterval) {
    for (Map.Entry<String, Function<String, NotifierConfig>> e : tenantNotifiers.entrySet()) {
      String where = "alerting.tenantNotifiers." + e.getKey();
      TenantContext.checkName("alerting.tenantNotifiers", e.getKey());
      try {
        this.tenantNotifiers.put(e.getKey(), e.getValue().apply(uiUrl));
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(where + ": " + ex.getMessage(), ex);
      }
    }
    this.storage = requireNonNull(storage, "storage");
    this.defaultRuleFiles = List.copyOf(requireNonNull(ruleFiles, "ruleFiles"));
    this.tenantRulesDir = tenantRulesDir == null ? null
        : tenantRulesDir.toAbsolutePath().normalize();
    this.uiUrl = requireNonNull(uiUrl, "uiUrl");
    this.notifier = requireNonNull(notifier, "notifier").apply(uiUrl);
    this.evaluationInterval = requireNonNull(evaluationInterval, "evaluationInterval");
  }

  /**
   * Starts the default tenant's engine, then every tenant with rules or stored alert state, and
   * the scan for new tenant directories.
   *
   * @throws IllegalArgumentException when the default tenant's rule files are invalid (another
   *     tenant's invalid files are logged and that tenant runs without rules until they are fixed)
   */
  public void start() {
    if (tenantRulesDir != null && !Files.isDirectory(tenantRulesDir)) {
      log.warn("alerting.tenantRulesDir {} is not a directory (yet); no tenant rules loaded",
          tenantRulesDir);
    }
    engine(TenantContext.DEFAULT);
    Set<String> known = new TreeSet<>(ruleTenants());
    known.addAll(subdirs(storage.dirOf(TenantContext.DEFAULT).resolve("tenants"), "alerts"));
    known.forEach(this::startQuietly);
    synchronized (this) {
      scanner = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sextant-tenant-rules-scan");
        t.setDaemon(true);
        return t;
      });
      // A task that throws is never run again by the executor: one unreadable directory entry
      // must not stop new tenants' rules from being picked up for the rest of the process.
      scanner.scheduleWithFixedDelay(() -> {
        try {
          ruleTenants().forEach(this::startQuietly);
        } catch (RuntimeException e) {
          log.warn("scanning tenant rule directories failed; trying again in {} s", SCAN_SECONDS,
              e);
        }
      }, SCAN_SECONDS, SCAN_SECONDS, TimeUnit.SECONDS);
    }
  }

  /** The rule files (globs) of {@code tenant}. */
  public List<String> rulePatterns(String tenant) {
    List<String> out = new ArrayList<>();
    if (tenant.equals(TenantContext.DEFAULT)) {
      out.addAll(defaultRuleFiles);
    }
    if (tenantRulesDir != null) {
      Path d = tenantRulesDir.resolve(TenantContext.checkName("tenant", tenant));
      out.add(d.resolve("*.yml").toString());
      out.add(d.resolve("*.yaml").toString());
    }
    return out;
  }

  /** The tenant of the current request ({@link TenantContext#current()}). */
  @Override
  public String current() {
    return TenantContext.current();
  }

  /** The running engine of {@code tenant}, or null when it has none yet (no I/O). */
  @Override
  public AlertEngine existing(String tenant) {
    return engines.get(tenant);
  }

  /**
   * The engine of {@code tenant}, started (and its store opened) if needed: disk I/O on first
   * use, so not on an event loop.
   *
   * @throws dev.sextant.server.tenancy.TenantLimitException when the tenant cannot be opened
   */
  @Override
  public AlertEngine engine(String tenant) {
    AlertEngine e = engines.get(tenant);
    return e != null ? e : create(tenant);
  }

  /** Reloads {@code tenant}'s rule files now; applied only when all are valid. */
  @Override
  public List<RuleFileResult> reload(String tenant) {
    return engine(tenant).loadRules(rulePatterns(tenant));
  }

  /** An instant-query function over {@code tenant}'s metrics only (for backtests). */
  @Override
  public QueryFunction query(String tenant) {
    return new PromqlQueryFunction(PromqlEngine.of(storage.forTenant(tenant).metricReader(),
        EngineOptions.defaults()));
  }

  /** The notifier config (routing, receivers, inhibition) of {@code tenant}. */
  @Override
  public NotifierConfig notifier(String tenant) {
    return tenantNotifiers.getOrDefault(tenant, notifier);
  }

  /** The tenants with a running engine. */
  public Set<String> tenants() {
    return new TreeSet<>(engines.keySet());
  }

  private synchronized AlertEngine create(String tenant) {
    AlertEngine e = engines.get(tenant);
    if (e != null) {
      return e;
    }
    if (closed) {
      throw new IllegalStateException("alerting closed");
    }
    AlertEngine a = build(tenant, storage.dirOf(tenant).resolve("alerts"), null);
    a.start();
    engines.put(tenant, a);
    return a;
  }

  /**
   * Builds {@code tenant}'s engine on {@code dir} with its rules loaded, not started: its
   * queries, evidence and recording rules use the tenant's store; with {@code state}, every state
   * write is also handed to it (cluster mode's replication).
   *
   * @throws IllegalArgumentException when the default tenant's rule files are invalid (another
   *     tenant's are logged and it runs without rules)
   */
  public AlertEngine build(String tenant, Path dir, @Nullable StateListener state) {
    boolean isDefault = tenant.equals(TenantContext.DEFAULT);
    Storage s = storage.forTenant(tenant);
    AlertEngineBuilder b = AlertEngine.builder(query(tenant), dir, notifier(tenant))
        .writer(storage.recordedSeries(tenant))
        .exprChecker(new PromqlExprChecker())
        .externalUrl(uiUrl)
        .evidence(new TraceEvidence(s, uiUrl))
        .defaultInterval(evaluationInterval)
        .tenant(tenant, !isDefault);
    if (storage.pinsEvidence()) {
      b.evidencePins(storage.pinsOverNetwork()
          ? PagePins.overStores(s, Clock.systemUTC(), pinWorker(), PIN_RETRY, PIN_GIVE_UP)
          : new PagePins(s, Clock.systemUTC()));
    }
    if (state != null) {
      b.stateListener(state);
    }
    AlertEngine a = b.build();
    List<String> patterns = rulePatterns(tenant);
    StringBuilder errors = new StringBuilder();
    int rules = 0;
    for (RuleFileResult r : a.loadRules(patterns)) {
      r.errors().forEach(p -> errors.append("\n  ").append(p));
      r.warnings().forEach(p -> log.warn("tenant '{}': {}", tenant, p));
      rules += r.ruleCount();
    }
    if (errors.length() > 0 && isDefault) {
      a.close();
      throw new IllegalArgumentException("invalid rule files:" + errors);
    }
    if (errors.length() > 0) {
      log.error("tenant '{}': rule files not loaded, fix them to load:{}", tenant, errors);
    } else if (rules > 0) {
      log.info("tenant '{}': loaded {} alerting and recording rules from {}", tenant, rules,
          patterns);
    }
    return a;
  }

  /** The default tenant and every tenant with a rules sub-directory now. */
  public Set<String> tenantsWithRules() {
    Set<String> out = new TreeSet<>(ruleTenants());
    out.removeIf(t -> !TenantContext.isValid(t));
    out.add(TenantContext.DEFAULT);
    return out;
  }

  private void startQuietly(String tenant) {
    if (engines.containsKey(tenant)) {
      return;
    }
    if (!TenantContext.isValid(tenant)) {
      if (skipped.add(tenant)) {
        log.warn("alerting: {} is not a tenant name (expected: 1-64 of [A-Za-z0-9._-], starting "
            + "with a letter or digit); ignored", tenant);
      }
      return;
    }
    try {
      engine(tenant);
    } catch (RuntimeException e) {
      if (skipped.add(tenant)) {
        log.error("alerting for tenant '{}' not started: {}", tenant, e.getMessage());
      }
    }
  }

  private Set<String> ruleTenants() {
    return tenantRulesDir == null ? Set.of() : subdirs(tenantRulesDir, null);
  }

  /** Names of the sub-directories of {@code dir} (that hold {@code child}, when not null). */
  private static Set<String> subdirs(Path dir, String child) {
    Set<String> out = new TreeSet<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> st = Files.list(dir)) {
      st.filter(Files::isDirectory)
          .filter(p -> child == null || Files.isDirectory(p.resolve(child)))
          .forEach(p -> out.add(p.getFileName().toString()));
    } catch (IOException e) {
      log.warn("cannot list {}: {}", dir, e.toString());
    }
    return out;
  }

  /** The thread that pins evidence over the network, for every engine of the node. */
  private synchronized ScheduledExecutorService pinWorker() {
    if (pinWorker == null) {
      pinWorker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sextant-evidence-pins");
        t.setDaemon(true);
        return t;
      });
    }
    return pinWorker;
  }

  /** Stops the scan and closes every engine. Idempotent. */
  @Override
  public void close() {
    List<AlertEngine> open;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (scanner != null) {
        scanner.shutdownNow();
      }
      if (pinWorker != null) {
        pinWorker.shutdownNow();
      }
      open = new ArrayList<>(engines.values());
    }
    for (AlertEngine e : open) {
      try {
        e.close();
      } catch (RuntimeException ex) {
        log.warn("closing an alert engine failed: {}", ex.toString());
      }
    }
  }
}
