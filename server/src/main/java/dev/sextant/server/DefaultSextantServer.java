package dev.sextant.server;

import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.sextant.alert.http.AlertApi;
import dev.sextant.alert.promql.TraceEvidence;
import dev.sextant.collector.Collector;
import dev.sextant.collector.CollectorBuilder;
import dev.sextant.collector.scrape.ScrapeConfig;
import dev.sextant.query.api.QueryApi;
import dev.sextant.query.http.RoutedService;
import dev.sextant.query.promql.EngineOptions;
import dev.sextant.query.promql.PromqlEngine;
import dev.sextant.server.alerting.AlertStores;
import dev.sextant.server.alerting.NodeAlerting;
import dev.sextant.server.alerting.TenantAlerting;
import dev.sextant.server.cluster.AlertRole;
import dev.sextant.server.cluster.ClusterReads;
import dev.sextant.server.cluster.ClusterSettings;
import dev.sextant.server.cluster.CollectorRole;
import dev.sextant.server.cluster.Role;
import dev.sextant.server.cluster.StoreDiscovery;
import dev.sextant.server.cluster.StoreRole;
import dev.sextant.server.internal.FreePorts;
import dev.sextant.server.internal.HealthService;
import dev.sextant.server.internal.Probes;
import dev.sextant.server.internal.ScrapeTargets;
import dev.sextant.server.internal.SelfMetrics;
import dev.sextant.server.internal.StartingServer;
import dev.sextant.server.internal.StatusConfigService;
import dev.sextant.server.security.Security;
import dev.sextant.server.tenancy.TenantContext;
import dev.sextant.server.tenancy.TenantStorage;
import dev.sextant.storage.Storage;
import dev.sextant.ui.WebUi;
import dev.sextant.ui.WebUiBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires storage, collector and query API by hand onto one Armeria server with three ports. */
final class DefaultSextantServer implements SextantServer {
  private static final Logger log = LoggerFactory.getLogger(SextantServer.class);

  /** The builder's settings as they were at {@code build()}; read, never changed. */
  private final SextantServerBuilder config;
  private final Path dataDir;
  private Collector collector;
  private PromqlEngine engine;
  /** Every tenant's engines, or in cluster mode those this node leads ({@link AlertRole}). */
  private NodeAlerting alerts;
  private AlertRole alertRole;
  // Port 0 is resolved to a free port at start.
  private int grpcPort;
  private int otlpHttpPort;
  private int httpPort;
  private Storage storage;
  /** The node's own stores: every node but a collector- or query-only cluster node. */
  private TenantStorage tenants;
  /** Cluster mode's settings; null: the all-in-one node, no Kafka. */
  private final @Nullable ClusterSettings cluster;
  private CollectorRole collectorRole;
  private StoreRole storeRole;
  /** A query or alert node's stores found through Kafka, when {@code cluster.stores} is empty. */
  private @Nullable StoreDiscovery storeDiscovery;
  /** An alert-only node's producer for recording rules' results (null elsewhere). */
  private @Nullable CollectorRole alertWriter;
  /** This server's own metrics (its roles'), served on /metrics after the process's. */
  private final PrometheusRegistry nodeMetrics = new PrometheusRegistry();
  private Server server;
  private boolean closed;
  /** Set once every route is served, cleared when closing starts: {@code /-/ready}'s gate. */
  private volatile boolean serving;

  DefaultSextantServer(SextantServerBuilder config) {
    this.config = config;
    this.dataDir = config.dataDir.toAbsolutePath().normalize();
    this.grpcPort = config.grpcPort;
    this.otlpHttpPort = config.otlpHttpPort;
    this.httpPort = config.httpPort;
    this.cluster = config.cluster;
  }

  private boolean runs(Role role) {
    return cluster == null || cluster.has(role);
  }

  @Override
  public synchronized void start() {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    if (cluster != null) {
      ClusterReads.checkToken(cluster, config.bindAddress, config.accessPolicy.enabled());
    }
    // Port 0 is resolved to a free port up front (port-based virtual hosts need concrete
    // numbers), and the ports are held from then on: while storage opens (a WAL replay or index
    // rebuild can take minutes) a starting server answers /-/healthy 200, /-/ready and
    // everything else 503, as Prometheus does while its TSDB loads.
    // A cluster node without the collector role binds only the HTTP port.
    int[] ports;
    if (runs(Role.COLLECTOR)) {
      ports = FreePorts.resolveAll(config.bindAddress, grpcPort, otlpHttpPort, httpPort);
      grpcPort = ports[0];
      otlpHttpPort = ports[1];
      httpPort = ports[2];
    } else {
      ports = FreePorts.resolveAll(config.bindAddress, httpPort);
      httpPort = ports[0];
    }
    Server starting = StartingServer.start(config.bindAddress, ports, file(config.tlsCertFile),
        file(config.tlsKeyFile), config.tlsKeyPassword);
    try {
      storage = openStorage();
    } finally {
      starting.stop().join();
    }
    try {
      if (cluster != null) {
        startRoles();
      }
      if (storage != null) {
        engine = PromqlEngine.of(storage.metricReader(), EngineOptions.defaults());
      }
      if (runs(Role.ALERT)) {
        // In cluster mode only each tenant's elected leader evaluates and notifies.
        alerts = cluster != null ? startClusterAlerting() : startAlerting();
      }
      server = buildServer();
      server.start().join();
      serving = true;
      if (storeRole != null) {
        storeRole.startAnnouncing(); // its read API answers from now on
      }
    } catch (RuntimeException e) {
      closeAll();
      throw e;
    }
    // One format for every node (tools and tests read the ports from it); a port a node does
    // not bind reads as configured.
    log.info("Sextant {} started: OTLP gRPC :{}, OTLP HTTP :{}, UI/API :{}, data {}",
        Version.get(), grpcPort, otlpHttpPort, httpPort, dataDir);
    if (cluster != null) {
      log.info("cluster node: roles {}, Kafka {}, store group {}{}{}", cluster.roles(),
          cluster.bootstrapServers(), cluster.storeGroup(), runs(Role.COLLECTOR) ? ""
              : " (OTLP ports not bound: no collector role)", storeDiscovery == null ? ""
              : ", stores found through Kafka (sextant.stores)");
    }
    warnIfOpen();
  }

  /**
   * The node's storage: its own stores (one per tenant; the collector derives spans' RED metrics
   * per tenant into them) on the all-in-one node and on a store; a query or alert node's view of
   * the stores; none on a collector-only node.
   */
  private @Nullable Storage openStorage() {
    if (runs(Role.STORE)) {
      // One store per tenant; the collector derives spans' RED metrics per tenant into them.
      Duration keepPins = config.keepPinsAfterResolve;
      tenants = TenantStorage.open(dataDir, config.retention, config.blockDuration,
          config.maxTenants, config.tenantLimits, b -> b.keepPinsAfterResolve(keepPins));
      return tenants;
    }
    try {
      Files.createDirectories(dataDir); // the disk checks of /health and /-/ready look at it
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + dataDir, e);
    }
    if (cluster.has(Role.QUERY) || cluster.has(Role.ALERT)) {
      if (!cluster.stores().isEmpty()) {
        return ClusterReads.queryStorage(cluster); // listed: static, no discovery
      }
      storeDiscovery = new StoreDiscovery(cluster,
          "sextant-store-directory-" + config.bindAddress + ":" + httpPort, nodeMetrics);
      try {
        return ClusterReads.queryStorage(cluster, storeDiscovery.directory());
      } catch (RuntimeException e) {
        storeDiscovery.close();
        storeDiscovery = null;
        throw e;
      }
    }
    return null;
  }

  /** The Kafka side of the node's roles: the collector's producer, the store's consumer. */
  private void startRoles() {
    String node = cluster.instanceId() != null ? cluster.instanceId()
        : config.bindAddress + ":" + httpPort;
    if (cluster.has(Role.COLLECTOR)) {
      collectorRole = new CollectorRole(cluster, "sextant-collector-" + node,
          TenantContext::current, nodeMetrics);
    }
    if (cluster.has(Role.STORE)) {
      storeRole = new StoreRole(cluster, "sextant-store-" + node, URI.create(advertisedUrl()),
          tenants, nodeMetrics, config.storeSessionTimeout);
    }
  }

  /** Says loudly, once at start, what an unauthenticated server leaves open. */
  private void warnIfOpen() {
    if (config.accessPolicy.enabled()) {
      if (config.adminApi) {
        log.info("--enable-admin-api has no effect with authentication on: token roles decide");
      }
      return;
    }
    boolean loopback;
    try {
      loopback = InetAddress.getByName(config.bindAddress).isLoopbackAddress();
    } catch (UnknownHostException e) {
      loopback = false;
    }
    String admin = config.adminApi
        ? ", and use the admin API (reload rules, create and expire silences, run backtests)"
        : "; the admin API (reload, silences, backtests) is refused";
    if (!loopback) {
      log.warn("\n************************************************************************\n"
          + "* AUTHENTICATION IS OFF and Sextant listens on {} (not loopback).\n"
          + "* Anyone who can reach ports {}, {} and {} can send telemetry and read\n"
          + "* every trace, log and metric{}.\n"
          + "* Turn authentication on (config auth.enabled: true with tokens, or env\n"
          + "* SEXTANT_AUTH_ENABLED=true; README 'Security'), or listen on loopback only\n"
          + "* (--bind-address 127.0.0.1).\n"
          + "************************************************************************",
          config.bindAddress, grpcPort, otlpHttpPort, httpPort, admin);
    } else if (config.adminApi) {
      // Loopback and an explicit opt-in (the demo's case): worth a line, not an alarm.
      log.info("Authentication is off and the admin API is enabled: anyone on this machine can "
          + "reload rules, create and expire silences and run backtests");
    }
  }

  /** One alert engine per tenant, each over its own tenant's store only. */
  private TenantAlerting startAlerting() {
    TenantAlerting a = new TenantAlerting(AlertStores.of(tenants), config.ruleFiles,
        config.tenantRulesDir, config.notifier, config.tenantNotifiers, uiUrl(),
        config.evaluationInterval);
    try {
      a.start();
    } catch (RuntimeException e) {
      a.close();
      throw e;
    }
    return a;
  }

  /**
   * The alert role in cluster mode: the same engines as {@link #startAlerting()}'s, run by the
   * tenant's elected leader only, their state replicated through Kafka (docs/cluster-alerting.md).
   */
  private NodeAlerting startClusterAlerting() {
    String node = cluster.instanceId() != null ? cluster.instanceId()
        : config.bindAddress + ":" + httpPort;
    // Recorded series go to the stores through Kafka, whichever node evaluates.
    CollectorRole kafka = collectorRole;
    if (kafka == null) {
      alertWriter = new CollectorRole(cluster, "sextant-alert-writer-" + node,
          TenantContext::current, nodeMetrics);
      kafka = alertWriter;
    }
    AlertStores stores = tenants != null
        ? ClusterReads.recordingThroughKafka(AlertStores.of(tenants), kafka)
        : ClusterReads.alertStores(storage, kafka, dataDir); // an alert-only node
    TenantAlerting engines = new TenantAlerting(stores, config.ruleFiles,
        config.tenantRulesDir, config.notifier, config.tenantNotifiers, uiUrl(),
        config.evaluationInterval);
    alertRole = new AlertRole(cluster, "sextant-alert-" + node, advertisedUrl(), engines,
        dataDir.resolve("cluster-alerting"), nodeMetrics);
    return alertRole;
  }

  /** Where other nodes and users reach this node's HTTP port. */
  private String advertisedUrl() {
    if (cluster.advertisedUrl() != null) {
      return cluster.advertisedUrl();
    }
    String host = config.bindAddress;
    try {
      if (InetAddress.getByName(host).isAnyLocalAddress()) {
        host = InetAddress.getLocalHost().getCanonicalHostName();
      }
    } catch (UnknownHostException e) {
      // keep the bind address
    }
    if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return (config.tlsCertFile != null ? "https://" : "http://") + host + ":" + httpPort;
  }

  /** The receivers, writing to the node's stores or, on a cluster collector, to Kafka. */
  private Collector buildCollector() {
    CollectorBuilder b = Collector.builder()
        .limits(config.limits)
        .rateLimits(config.rateLimits)
        .queueBytes(config.queueBytes)
        .scrapeConfigs(config.scrapeConfigs)
        .redMetricsInterval(config.spanMetricsInterval.isNegative() ? Duration.ZERO
            : config.spanMetricsInterval);
    if (collectorRole != null) {
      CollectorRole kafka = collectorRole;
      // No local disk to guard: Kafka's acknowledgement is the durability.
      return b.spanConsumer(kafka.spanConsumer()).metricWriter(kafka.metricWriter())
          .logConsumer(kafka.logConsumer())
          .redMetricsWriters(kafka::metricWriterFor)
          .build();
    }
    TenantStorage t = tenants;
    return b.spanConsumer(storage.spanConsumer())
        .metricWriter(storage.metricWriter())
        .logConsumer(storage.logConsumer())
        // Per tenant, into the tenant's own store (the flush runs outside any request).
        .redMetricsWriters(tenant -> t.forTenant(tenant).metricWriter())
        // The health check's threshold refuses ingest too.
        .minFreeDisk(dataDir, config.minFreeDiskBytes)
        .build();
  }

  /** {@code /health}'s checks of the node's roles, next to storage, disk and memory. */
  private Map<String, HealthService.Check> roleChecks() {
    Map<String, HealthService.Check> checks = new LinkedHashMap<>();
    if (collectorRole != null) {
      CollectorRole c = collectorRole;
      checks.put("kafka", g -> {
        boolean up = c.kafkaUp();
        g.writeStringField("status", up ? "up" : "down");
        if (!up) {
          g.writeStringField("error", c.lastFailure());
        }
        return up;
      });
    }
    if (storeRole != null) {
      StoreRole s = storeRole;
      checks.put("consumer", g -> {
        Throwable failure = s.consumer().failure();
        g.writeStringField("status", failure == null ? "up" : "down");
        g.writeNumberField("partitions_owned", s.consumer().assignment().size());
        g.writeNumberField("lag_records", s.totalLag());
        g.writeNumberField("records_applied", s.consumer().appliedRecords());
        g.writeNumberField("records_skipped", s.consumer().skippedRecords());
        if (failure != null) {
          g.writeStringField("error", String.valueOf(failure.getMessage()));
        }
        return failure == null;
      });
    }
    if (storeDiscovery != null) {
      checks.put("stores", storeDiscovery::writeHealth);
    }
    if (alertRole != null) {
      AlertRole a = alertRole;
      checks.put("alerting", g -> {
        // A follower is healthy: it keeps the state warm and takes over when elected.
        g.writeStringField("status", "up");
        g.writeArrayFieldStart("leading");
        for (String t : a.tenants()) {
          if (a.isLeader(t)) {
            g.writeString(t);
          }
        }
        g.writeEndArray();
        g.writeNumberField("tenants", a.tenants().size());
        g.writeNumberField("state_lag_records", a.stateLag());
        return true;
      });
    }
    return checks;
  }

  private Server buildServer() {
    if (runs(Role.COLLECTOR)) {
      collector = buildCollector();
    }
    SessionProtocol protocol =
        config.tlsCertFile != null ? SessionProtocol.HTTPS : SessionProtocol.HTTP;
    ServerBuilder sb = Server.builder();
    if (collector != null) {
      sb.port(new InetSocketAddress(config.bindAddress, grpcPort), protocol)
          .port(new InetSocketAddress(config.bindAddress, otlpHttpPort), protocol);
    }
    sb.port(new InetSocketAddress(config.bindAddress, httpPort), protocol)
        .maxRequestLength(config.limits.maxRequestBytes())
        .gracefulShutdownTimeout(Duration.ofSeconds(1), Duration.ofSeconds(10));
    if (config.tlsCertFile != null && config.tlsKeyPassword != null) {
      sb.tls(config.tlsCertFile.toFile(), config.tlsKeyFile.toFile(), config.tlsKeyPassword);
    } else if (config.tlsCertFile != null) {
      sb.tls(config.tlsCertFile.toFile(), config.tlsKeyFile.toFile());
    }
    // Decorators first: they wrap every route of every port, those mounted below included.
    Security.install(sb, config.accessPolicy, tenants, grpcPort, otlpHttpPort, httpPort,
        config.adminApi, cluster == null ? null : cluster.internalToken());
    HealthService health = new HealthService(storage, dataDir, config.minFreeDiskBytes,
        config.maxHeapUsedRatio, roleChecks());
    if (collector != null) {
      sb.errorHandler(collector.errorHandler()); // 413s that name the limit
      sb.virtualHost(grpcPort).service(collector.grpcService());
      sb.virtualHost(otlpHttpPort).service(collector.httpService());
      sb.virtualHost(otlpHttpPort).service(RoutedService.builder().service("/health", health)
          .build());
      // Zipkin clients send where Zipkin serves its UI and API (:9411): here.
      sb.virtualHost(httpPort).service(collector.zipkinService());
    }
    if (runs(Role.QUERY)) {
      mountQuery(sb);
    } else if (alerts != null) {
      sb.virtualHost(httpPort).service(AlertApi.builder().engines(alerts)
          .backtestTimeout(config.backtestTimeout).build());
    }
    if (storeRole != null) {
      ClusterReads.mountStoreReadService(sb.virtualHost(httpPort), tenants, storeRole);
    }
    sb.virtualHost(httpPort)
        .service(RoutedService.builder().service("/health", health)
            .service("/-/healthy", Probes.healthy())
            .service("/-/ready", Probes.ready(storage, dataDir.toFile(), config.minFreeDiskBytes,
                () -> serving))
            .service("/api/v1/status/config", StatusConfigService.of(config.statusConfigYaml))
            .service("/metrics", SelfMetrics.service(nodeMetrics)).build());
    return sb.build();
  }

  /** The query APIs and the UI (and the alert API where alerts run here). */
  private void mountQuery(ServerBuilder sb) {
    NodeAlerting tenantAlerts = alerts;
    Collector scraping = collector;
    WebUiBuilder webUi = WebUi.builder().storage(storage).promql(engine)
        // The alerts page shows and silences the engine of the request's tenant.
        .alerts(() -> {
          if (tenantAlerts == null) {
            throw new IllegalStateException("alerts are evaluated on the alert nodes");
          }
          return tenantAlerts.engine(TenantContext.current());
        })
        .evidence(new TraceEvidence(storage, uiUrl()));
    if (config.playbooksDir != null) {
      webUi.playbooksDir(config.playbooksDir);
    }
    // Each module's routes are one service; the server mounts them, nothing else.
    if (alerts != null) {
      sb.virtualHost(httpPort).service(AlertApi.builder().engines(alerts)
          .backtestTimeout(config.backtestTimeout).build());
    }
    sb.virtualHost(httpPort)
        .service(QueryApi.builder().storage(storage).engine(engine)
            .maxSpansPerTrace(config.maxSpansPerTraceRead)
            .scrapeTargets(() -> scraping == null ? List.of()
                : ScrapeTargets.of(scraping, TenantContext.current(), TenantContext.DEFAULT))
            .build())
        .service(webUi.build());
  }

  private static @Nullable File file(@Nullable Path p) {
    return p == null ? null : p.toFile();
  }

  /** Where users reach the UI, for links in pages and notifications. */
  private String uiUrl() {
    return config.externalUrl != null ? config.externalUrl : "http://localhost:" + httpPort;
  }

  @Override
  public int grpcPort() {
    return grpcPort;
  }

  @Override
  public int otlpHttpPort() {
    return otlpHttpPort;
  }

  @Override
  public int httpPort() {
    return httpPort;
  }

  /** The Armeria server, for tests that walk every registered route. */
  Server armeria() {
    return server;
  }

  @Override
  public Path dataDir() {
    return dataDir;
  }

  @Override
  public synchronized void addScrapeConfigs(List<ScrapeConfig> configs) {
    Objects.requireNonNull(configs, "configs");
    if (collector == null || closed) {
      throw new IllegalStateException("addScrapeConfigs: server " + (closed ? "closed"
          : "not started"));
    }
    collector.scrape(configs);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    serving = false;
    if (storeRole != null) {
      storeRole.withdraw(); // query nodes stop reading here before the read API goes away
    }
    if (server != null) {
      server.stop().join();
      server.closeAsync();
    }
    closeAll();
    log.info("Sextant stopped");
  }

  /** Receivers, then what they write to; the consumer before the stores it writes into. */
  private void closeAll() {
    if (collector != null) {
      collector.close();
    }
    if (collectorRole != null) {
      collectorRole.close();
    }
    if (alerts != null) {
      alerts.close();
    }
    if (alertWriter != null) {
      alertWriter.close();
    }
    if (storeRole != null) {
      storeRole.close();
    }
    if (storage != null) {
      storage.close();
    }
    if (storeDiscovery != null) {
      storeDiscovery.close();
    }
  }
}
