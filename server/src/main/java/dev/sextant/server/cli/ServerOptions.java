package dev.sextant.server.cli;

import dev.sextant.query.Durations;
import dev.sextant.server.SextantServer;
import dev.sextant.server.SextantServerBuilder;
import dev.sextant.server.cluster.ClusterSettings;
import dev.sextant.server.config.ConfigLoader;
import dev.sextant.server.config.ConfigMapper;
import dev.sextant.server.config.ConfigYaml;
import dev.sextant.server.config.ConfigSources;
import dev.sextant.server.config.ConfigValidator;
import dev.sextant.server.config.SextantConfig;
import dev.sextant.server.tenancy.TenantContext;
import dev.sextant.storage.Retention;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Option;

/** Flags shared by {@code server} and {@code demo}; flags beat env vars beat the config file. */
final class ServerOptions {
  @Option(names = "--config", paramLabel = "FILE",
      description = "YAML config file (optional; flags override it, it overrides defaults).")
  Path config;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Where data is stored (default: ./data; env SEXTANT_DATA_DIR).")
  Path dataDir;

  @Option(names = "--grpc-port", paramLabel = "PORT",
      description = "OTLP gRPC port (default: 4317; 0 picks a free port).")
  Integer grpcPort;

  @Option(names = "--otlp-http-port", paramLabel = "PORT",
      description = "OTLP HTTP port for /v1/traces (default: 4318; 0 picks a free port).")
  Integer otlpHttpPort;

  @Option(names = "--http-port", paramLabel = "PORT",
      description = "UI, query API, /health and /metrics port (default: 8686; 0 picks a free port).")
  Integer httpPort;

  @Option(names = "--bind-address", paramLabel = "ADDRESS",
      description = "Address the three ports listen on (default: 0.0.0.0, every interface; "
          + "env SEXTANT_BIND_ADDRESS). 127.0.0.1 keeps Sextant to this machine.")
  String bindAddress;

  @Option(names = "--enable-admin-api",
      description = "With auth off, let anonymous callers reload rules, create and expire "
          + "silences and run backtests (default: refused; config auth.enableAdminApi, env "
          + "SEXTANT_ENABLE_ADMIN_API). Only on a trusted network; ignored with auth on.")
  boolean enableAdminApi;

  @Option(names = "--role", paramLabel = "ROLE", split = ",",
      description = "Cluster mode: run these roles (collector, store, query, alert; repeat the "
          + "flag or separate with commas) over Kafka (--kafka). Default: the all-in-one node, "
          + "no Kafka (config cluster.roles, env SEXTANT_ROLES; docs/cluster.md).")
  List<String> roles;

  @Option(names = "--kafka", paramLabel = "HOST:PORT,...",
      description = "Cluster mode: Kafka's bootstrap servers (config "
          + "cluster.kafka.bootstrapServers, env SEXTANT_KAFKA_BOOTSTRAP_SERVERS). Without "
          + "--role, all four roles run over Kafka.")
  String kafka;

  @Option(names = "--instance-id", paramLabel = "NAME",
      description = "Cluster mode: a store's stable name in its consumer group, so that a "
          + "restarted store gets its own partitions back (config cluster.instanceId, env "
          + "SEXTANT_INSTANCE_ID; docs/cluster.md).")
  String instanceId;

  @Option(names = "--log-level", paramLabel = "LEVEL",
      description = "Log level: ERROR, WARN, INFO, DEBUG or TRACE (default: INFO).")
  String logLevel;

  SextantConfig resolve() {
    return resolve(System.getenv());
  }

  /**
   * The config file, then {@code env}, then these flags; validated.
   *
   * @throws IllegalArgumentException naming the key and its line, or the flag or env var
   */
  SextantConfig resolve(Map<String, String> env) {
    SextantConfig c = ConfigLoader.load(config, env);
    ConfigSources src = c.sources();
    if (dataDir != null) {
      c.dataDir = dataDir.toString();
      src.flag("dataDir", "--data-dir");
    }
    if (bindAddress != null) {
      c.bindAddress = bindAddress;
      src.flag("bindAddress", "--bind-address");
    }
    if (grpcPort != null) {
      c.ports.grpc = grpcPort;
      src.flag("ports.grpc", "--grpc-port");
    }
    if (otlpHttpPort != null) {
      c.ports.otlpHttp = otlpHttpPort;
      src.flag("ports.otlpHttp", "--otlp-http-port");
    }
    if (httpPort != null) {
      c.ports.http = httpPort;
      src.flag("ports.http", "--http-port");
    }
    if (enableAdminApi) {
      c.auth.enableAdminApi = true;
      src.flag("auth.enableAdminApi", "--enable-admin-api");
    }
    if (logLevel != null) {
      c.logLevel = logLevel;
      src.flag("logLevel", "--log-level");
    }
    if (roles != null) {
      src.flag("cluster.roles", "--role");
      try {
        c.cluster.setRoles(roles);
      } catch (IllegalArgumentException e) {
        throw src.locate(e);
      }
    }
    if (kafka != null) {
      c.cluster.kafka.bootstrapServers = kafka;
      src.flag("cluster.kafka.bootstrapServers", "--kafka");
    }
    if (instanceId != null) {
      c.cluster.instanceId = instanceId;
      src.flag("cluster.instanceId", "--instance-id");
    }
    ConfigValidator.validate(c);
    return c;
  }

  /**
   * Starts the server and arranges a graceful stop on SIGTERM / Ctrl-C; await the returned latch
   * to run until then.
   */
  static CountDownLatch startUntilSignalled(SextantServer server) {
    server.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "sextant-shutdown"));
    return stopped;
  }

  /**
   * The server {@code c} describes.
   *
   * @throws IllegalArgumentException for a bad value, naming its key and line (or flag/env var)
   */
  static SextantServer build(SextantConfig c) {
    try {
      return builder(c).build();
    } catch (IllegalArgumentException e) {
      throw c.sources().locate(e);
    }
  }

  static SextantServerBuilder builder(SextantConfig c) {
    SextantServerBuilder b = SextantServer.builder()
        .dataDir(Path.of(c.dataDir))
        .grpcPort(c.ports.grpc)
        .otlpHttpPort(c.ports.otlpHttp)
        .httpPort(c.ports.http)
        .bindAddress(c.bindAddress)
        .statusConfigYaml(ConfigYaml.masked(c))
        .limits(ConfigMapper.limits(c.limits))
        .rateLimits(ConfigMapper.rateLimits(c.rateLimits))
        .tenantLimits(ConfigMapper.tenantLimits(c.tenantLimits))
        .scrapeConfigs(ConfigMapper.scrapeConfigs(c.scrapeConfigs))
        .healthThresholds(c.health.minFreeDiskBytes, c.health.maxHeapUsedRatio)
        .retention(new Retention(
            Durations.parse("retention.traces", c.retention.traces),
            Durations.parse("retention.logs", c.retention.logs),
            Durations.parse("retention.metrics", c.retention.metrics)))
        .blockDuration(Durations.parse("storage.blockDuration", c.storage.blockDuration))
        .keepPinsAfterResolve(Durations.parse("retention.pinnedAfterResolve",
            c.retention.pinnedAfterResolve))
        .spanMetricsInterval(c.spanMetrics.enabled
            ? Durations.parse("spanMetrics.interval", c.spanMetrics.interval)
            : Duration.ZERO);
    b.ruleFiles(c.alerting.rules)
        .evaluationInterval(Durations.parse("alerting.evaluationInterval",
            c.alerting.evaluationInterval))
        .backtestTimeout(Durations.parse("alerting.backtestTimeout",
            c.alerting.backtestTimeout));
    if (c.alerting.tenantRulesDir != null) {
      b.tenantRulesDir(Path.of(c.alerting.tenantRulesDir));
    }
    if (c.alerting.playbooksDir != null) {
      b.playbooksDir(Path.of(c.alerting.playbooksDir));
    }
    if (c.alerting.externalUrl != null) {
      b.externalUrl(c.alerting.externalUrl);
    }
    if (c.alerting.notifier != null) {
      b.notifierConfig(c.alerting.notifier);
    }
    if (c.alerting.tenantNotifiers != null) {
      c.alerting.tenantNotifiers.forEach((t, n) -> b.tenantNotifierConfig(
          TenantContext.checkName("alerting.tenantNotifiers", t),
          n));
    }
    b.accessPolicy(c.auth.toPolicy()).maxTenants(c.tenancy.maxTenants)
        .enableAdminApi(c.auth.enableAdminApi);
    b.maxSpansPerTraceRead(c.limits.maxSpansPerTraceRead);
    if (c.tls.enabled()) {
      b.tls(Path.of(c.tls.certFile), Path.of(c.tls.keyFile), c.tls.keyPassword);
    }
    if (c.ingest.queueBytes > 0) {
      b.queueBytes(c.ingest.queueBytes);
    }
    ClusterSettings cluster = ConfigMapper.cluster(c.cluster);
    if (cluster != null) {
      b.cluster(cluster);
    }
    return b;
  }
}
