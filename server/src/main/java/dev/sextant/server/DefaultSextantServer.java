package dev.sextant.server;

import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.sextant.alert.http.AlertApi;
import dev.sextant.alert.promql.TraceEvidence;
import dev.sextant.collector.Collector;
import dev.sextant.collector.scrape.ScrapeConfig;
import dev.sextant.query.api.QueryApi;
import dev.sextant.query.http.RoutedService;
import dev.sextant.query.promql.EngineOptions;
import dev.sextant.query.promql.PromqlEngine;
import dev.sextant.server.alerting.TenantAlerting;
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
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
  private TenantAlerting alerts;
  // Port 0 is resolved to a free port at start.
  private int grpcPort;
  private int otlpHttpPort;
  private int httpPort;
  private Storage storage;
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
  }

  @Override
  public synchronized void start() {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    // Port 0 is resolved to a free port up front (port-based virtual hosts need concrete
    // numbers), and the ports are held from then on: while storage opens (a WAL replay or index
    // rebuild can take minutes) a starting server answers /-/healthy 200, /-/ready and
    // everything else 503, as Prometheus does while its TSDB loads.
    int[] ports = FreePorts.resolveAll(config.bindAddress, grpcPort, otlpHttpPort, httpPort);
    grpcPort = ports[0];
    otlpHttpPort = ports[1];
    httpPort = ports[2];
    Server starting = StartingServer.start(config.bindAddress, ports, file(config.tlsCertFile),
        file(config.tlsKeyFile), config.tlsKeyPassword);
    try {
      // One store per tenant; the collector derives spans' RED metrics per tenant into them.
      Duration keepPins = config.keepPinsAfterResolve;
      storage = TenantStorage.open(dataDir, config.retention, config.blockDuration,
          config.maxTenants, config.tenantLimits, b -> b.keepPinsAfterResolve(keepPins));
    } finally {
      starting.stop().join();
    }
    try {
      engine = PromqlEngine.of(storage.metricReader(), EngineOptions.defaults());
      alerts = startAlerting();
      server = buildServer();
      server.start().join();
      serving = true;
    } catch (RuntimeException e) {
      if (collector != null) {
        collector.close();
      }
      if (alerts != null) {
        alerts.close();
      }
      storage.close();
      throw e;
    }
    log.info("Sextant {} started: OTLP gRPC :{}, OTLP HTTP :{}, UI/API :{}, data {}",
        Version.get(), grpcPort, otlpHttpPort, httpPort, dataDir);
    warnIfOpen();
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
    TenantAlerting a = new TenantAlerting((TenantStorage) storage, config.ruleFiles,
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

  private Server buildServer() {
    TenantStorage tenants = (TenantStorage) storage;
    collector = Collector.builder()
        .spanConsumer(storage.spanConsumer())
        .metricWriter(storage.metricWriter())
        .logConsumer(storage.logConsumer())
        .limits(config.limits)
        .rateLimits(config.rateLimits)
        .queueBytes(config.queueBytes)
        .scrapeConfigs(config.scrapeConfigs)
        // Per tenant, into the tenant's own store (the flush runs outside any request).
        .redMetricsInterval(config.spanMetricsInterval.isNegative() ? Duration.ZERO
            : config.spanMetricsInterval)
        .redMetricsWriters(tenant -> tenants.forTenant(tenant).metricWriter())
        // The health check's threshold refuses ingest too.
        .minFreeDisk(dataDir, config.minFreeDiskBytes)
        .build();
    SessionProtocol protocol =
        config.tlsCertFile != null ? SessionProtocol.HTTPS : SessionProtocol.HTTP;
    ServerBuilder sb = Server.builder()
        .port(new InetSocketAddress(config.bindAddress, grpcPort), protocol)
        .port(new InetSocketAddress(config.bindAddress, otlpHttpPort), protocol)
        .port(new InetSocketAddress(config.bindAddress, httpPort), protocol)
        .maxRequestLength(config.limits.maxRequestBytes())
        .gracefulShutdownTimeout(Duration.ofSeconds(1), Duration.ofSeconds(10));
    if (config.tlsCertFile != null && config.tlsKeyPassword != null) {
      sb.tls(config.tlsCertFile.toFile(), config.tlsKeyFile.toFile(), config.tlsKeyPassword);
    } else if (config.tlsCertFile != null) {
      sb.tls(config.tlsCertFile.toFile(), config.tlsKeyFile.toFile());
    }
    // Decorators first: they wrap every route of every port, those mounted below included.
    Security.install(sb, config.accessPolicy, tenants, grpcPort, otlpHttpPort, httpPort,
        config.adminApi);
    HealthService health = new HealthService(storage, dataDir, config.minFreeDiskBytes,
        config.maxHeapUsedRatio);
    collector.bindGrpc(sb.virtualHost(grpcPort));
    collector.bindHttp(sb.virtualHost(otlpHttpPort));
    sb.virtualHost(otlpHttpPort).service(RoutedService.builder().service("/health", health)
        .build());
    TenantAlerting tenantAlerts = alerts;
    Collector scraping = collector;
    WebUiBuilder webUi = WebUi.builder().storage(storage).promql(engine)
        // The alerts page shows and silences the engine of the request's tenant.
        .alerts(() -> tenantAlerts.engine(TenantContext.current()))
        .evidence(new TraceEvidence(storage, uiUrl()));
    if (config.playbooksDir != null) {
      webUi.playbooksDir(config.playbooksDir);
    }
    // Each module's routes are one service; the server mounts them, nothing else.
    sb.virtualHost(httpPort)
        .service(AlertApi.builder().engines(alerts).backtestTimeout(config.backtestTimeout)
            .build())
        .service(QueryApi.builder().storage(storage).engine(engine)
            .maxSpansPerTrace(config.maxSpansPerTraceRead)
            .scrapeTargets(() -> ScrapeTargets.of(scraping, TenantContext.current(),
                TenantContext.DEFAULT))
            .build())
        .service(webUi.build())
        // Zipkin clients send where Zipkin serves its UI and API (:9411): here.
        .service(collector.zipkinService())
        .service(RoutedService.builder().service("/health", health)
            .service("/-/healthy", Probes.healthy())
            .service("/-/ready", Probes.ready(storage, dataDir.toFile(), config.minFreeDiskBytes,
                () -> serving))
            .service("/api/v1/status/config", StatusConfigService.of(config.statusConfigYaml))
            .service("/metrics", SelfMetrics.service()).build());
    return sb.build();
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
    if (server != null) {
      server.stop().join();
      server.closeAsync();
    }
    if (collector != null) {
      collector.close();
    }
    if (alerts != null) {
      alerts.close();
    }
    if (storage != null) {
      storage.close();
    }
    log.info("Sextant stopped");
  }
}
