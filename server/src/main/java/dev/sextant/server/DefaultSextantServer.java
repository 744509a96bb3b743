package dev.sextant.server;

import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.sextant.collector.Collector;
import dev.sextant.collector.IngestLimits;
import dev.sextant.collector.RateLimits;
import dev.sextant.collector.scrape.ScrapeConfig;
import dev.sextant.query.api.QueryApi;
import dev.sextant.query.prometheus.PrometheusApi;
import dev.sextant.query.promql.EngineOptions;
import dev.sextant.query.promql.PromqlEngine;
import dev.sextant.query.trace.TraceService;
import dev.sextant.server.alerting.AlertRoutes;
import dev.sextant.server.alerting.BacktestService;
import dev.sextant.server.alerting.TenantAlerting;
import dev.sextant.server.alerting.TraceEvidence;
import dev.sextant.server.internal.FreePorts;
import dev.sextant.server.internal.HealthService;
import dev.sextant.server.internal.PlaybookService;
import dev.sextant.server.internal.SelfMetrics;
import dev.sextant.server.security.AccessPolicy;
import dev.sextant.server.security.Security;
import dev.sextant.server.tenancy.TenantContext;
import dev.sextant.server.tenancy.TenantLimits;
import dev.sextant.server.tenancy.TenantStorage;
import dev.sextant.storage.Retention;
import dev.sextant.storage.Storage;
import dev.sextant.ui.WebUi;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires storage, collector and query API by hand onto one Armeria server with three ports. */
final class DefaultSextantServer implements SextantServer {
  private static final Logger log = LoggerFactory.getLogger(SextantServer.class);

  private final Path dataDir;
  private final String bindAddress;
  private final IngestLimits limits;
  private final RateLimits rateLimits;
  private final long queueBytes;
  private final List<ScrapeConfig> scrapeConfigs;
  private final Duration spanMetricsInterval;
  private final TenantLimits tenantLimits;
  private final Duration blockDuration;
  private Collector collector;
  private final long minFreeDiskBytes;
  private final Retention retention;
  private final List<String> ruleFiles;
  private final Path tenantRulesDir;
  private final Map<String, String> tenantNotifiers;
  private final String notifierYaml;
  private final String externalUrl;
  private final Duration evaluationInterval;
  private final Duration backtestTimeout;
  private PromqlEngine engine;
  private TenantAlerting alerts;
  private final double maxHeapUsedRatio;
  private final Path playbooksDir;
  private final AccessPolicy accessPolicy;
  private final File tlsCert;
  private final File tlsKey;
  private final String tlsKeyPassword;
  private final int maxTenants;
  private final boolean adminApi;
  private final int maxSpansPerTraceRead;
  private int grpcPort;
  private int otlpHttpPort;
  private int httpPort;
  private Storage storage;
  private Server server;
  private boolean closed;

  DefaultSextantServer(SextantServerBuilder b) {
    this.dataDir = b.dataDir.toAbsolutePath().normalize();
    this.grpcPort = b.grpcPort;
    this.otlpHttpPort = b.otlpHttpPort;
    this.httpPort = b.httpPort;
    this.bindAddress = b.bindAddress;
    this.limits = b.limits;
    this.rateLimits = b.rateLimits;
    this.queueBytes = b.queueBytes;
    this.scrapeConfigs = b.scrapeConfigs;
    this.spanMetricsInterval = b.spanMetricsInterval;
    this.tenantLimits = b.tenantLimits;
    this.blockDuration = b.blockDuration;
    this.minFreeDiskBytes = b.minFreeDiskBytes;
    this.retention = b.retention;
    this.ruleFiles = b.ruleFiles;
    this.tenantRulesDir = b.tenantRulesDir;
    this.tenantNotifiers = Map.copyOf(b.tenantNotifiers);
    this.notifierYaml = b.notifierYaml;
    this.externalUrl = b.externalUrl;
    this.evaluationInterval = b.evaluationInterval;
    this.backtestTimeout = b.backtestTimeout;
    this.maxHeapUsedRatio = b.maxHeapUsedRatio;
    this.playbooksDir = b.playbooksDir;
    this.accessPolicy = b.accessPolicy;
    this.tlsCert = b.tlsCertFile == null ? null : b.tlsCertFile.toFile();
    this.tlsKey = b.tlsKeyFile == null ? null : b.tlsKeyFile.toFile();
    this.tlsKeyPassword = b.tlsKeyPassword;
    this.maxTenants = b.maxTenants;
    this.adminApi = b.adminApi;
    this.maxSpansPerTraceRead = b.maxSpansPerTraceRead;
  }

  @Override
  public synchronized void start() {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    // One store per tenant; spans' RED metrics are derived per tenant there, not in the collector.
    storage = TenantStorage.open(dataDir, retention, blockDuration, maxTenants,
        spanMetricsInterval, tenantLimits);
    try {
      // Port-based virtual hosts need concrete port numbers, so 0 is resolved up front: after
      // opening storage (seconds on a busy box), as a port found free is free only until another
      // socket takes it, until the bind below.
      int[] ports = FreePorts.resolveAll(bindAddress, grpcPort, otlpHttpPort, httpPort);
      grpcPort = ports[0];
      otlpHttpPort = ports[1];
      httpPort = ports[2];
      engine = PromqlEngine.of(storage.metricReader(), EngineOptions.defaults());
      alerts = startAlerting();
      server = buildServer();
      server.start().join();
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
    if (accessPolicy.enabled()) {
      if (adminApi) {
        log.info("--enable-admin-api has no effect with authentication on: token roles decide");
      }
      return;
    }
    boolean loopback;
    try {
      loopback = InetAddress.getByName(bindAddress).isLoopbackAddress();
    } catch (UnknownHostException e) {
      loopback = false;
    }
    String admin = adminApi
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
          bindAddress, grpcPort, otlpHttpPort, httpPort, admin);
    } else if (adminApi) {
      // Loopback and an explicit opt-in (the demo's case): worth a line, not an alarm.
      log.info("Authentication is off and the admin API is enabled: anyone on this machine can "
          + "reload rules, create and expire silences and run backtests");
    }
  }

  /** One alert engine per tenant, each over its own tenant's store only. */
  private TenantAlerting startAlerting() {
    String ui = externalUrl != null ? externalUrl : "http://localhost:" + httpPort;
    TenantAlerting a = new TenantAlerting((TenantStorage) storage, ruleFiles, tenantRulesDir,
        notifierYaml, tenantNotifiers, ui, evaluationInterval);
    try {
      a.start();
    } catch (RuntimeException e) {
      a.close();
      throw e;
    }
    return a;
  }

  private Server buildServer() {
    collector = Collector.builder()
        .spanConsumer(storage.spanConsumer())
        .metricWriter(storage.metricWriter())
        .logConsumer(storage.logConsumer())
        .limits(limits)
        .rateLimits(rateLimits)
        .queueBytes(queueBytes)
        .scrapeConfigs(scrapeConfigs)
        .redMetricsInterval(Duration.ZERO)
        .minFreeDisk(dataDir, minFreeDiskBytes) // the health check's threshold refuses ingest
        .build();
    SessionProtocol protocol = tlsCert != null ? SessionProtocol.HTTPS : SessionProtocol.HTTP;
    ServerBuilder sb = Server.builder()
        .port(new InetSocketAddress(bindAddress, grpcPort), protocol)
        .port(new InetSocketAddress(bindAddress, otlpHttpPort), protocol)
        .port(new InetSocketAddress(bindAddress, httpPort), protocol)
        .maxRequestLength(limits.maxRequestBytes())
        .gracefulShutdownTimeout(Duration.ofSeconds(1), Duration.ofSeconds(10));
    if (tlsCert != null && tlsKeyPassword != null) {
      sb.tls(tlsCert, tlsKey, tlsKeyPassword);
    } else if (tlsCert != null) {
      sb.tls(tlsCert, tlsKey);
    }
    Security.install(sb, accessPolicy, (TenantStorage) storage, grpcPort,
        otlpHttpPort, httpPort, adminApi);
    HealthService health = new HealthService(storage, dataDir, minFreeDiskBytes,
        maxHeapUsedRatio);
    collector.bindGrpc(sb.virtualHost(grpcPort));
    collector.bindHttp(sb.virtualHost(otlpHttpPort));
    sb.virtualHost(otlpHttpPort).service("/health", health);
    PrometheusApi.of(storage.metricReader(), engine).registerTo(sb.virtualHost(httpPort));
    new AlertRoutes(alerts).registerTo(sb.virtualHost(httpPort));
    String ui = externalUrl != null ? externalUrl : "http://localhost:" + httpPort;
    // The request may outlive the replay's own deadline by a margin, so the answer is the
    // replay's 503 rather than Armeria's bare request timeout.
    sb.virtualHost(httpPort).route().post("/api/alerts/backtest")
        .requestTimeout(backtestTimeout.plusSeconds(10))
        .build(new BacktestService(alerts, backtestTimeout));
    QueryApi.builder().storage(storage).engine(engine).maxSpansPerTrace(maxSpansPerTraceRead)
        .build()
        .registerTo(sb.virtualHost(httpPort));
    TenantAlerting tenantAlerts = alerts;
    // The alerts page shows and silences the engine of the request's tenant.
    WebUi.builder().storage(storage).promql(engine)
        .alerts(() -> tenantAlerts.engine(TenantContext.current()))
        .evidence(new TraceEvidence(storage, ui)).build().registerTo(sb.virtualHost(httpPort));
    if (playbooksDir != null) {
      new PlaybookService(playbooksDir)
          .registerTo(sb.virtualHost(httpPort));
    }
    sb.virtualHost(httpPort)
        .service("/api/traces/{traceId}",
            new TraceService(storage.traceReader(), storage.logReader(), maxSpansPerTraceRead))
        .service("/health", health)
        .service("/metrics", SelfMetrics.service());
    return sb.build();
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
