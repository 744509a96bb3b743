package dev.sextant.server;

import static java.util.Objects.requireNonNull;

import dev.sextant.alert.NotifierConfig;
import dev.sextant.collector.limits.IngestLimits;
import dev.sextant.collector.limits.RateLimits;
import dev.sextant.collector.scrape.ScrapeConfig;
import dev.sextant.query.trace.TraceRead;
import dev.sextant.server.cluster.ClusterSettings;
import dev.sextant.server.security.AccessPolicy;
import dev.sextant.server.tenancy.TenantContext;
import dev.sextant.server.tenancy.TenantLimits;
import dev.sextant.storage.Retention;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Builds a {@link SextantServer}. Defaults: data in {@code ./data}, ports 4317, 4318, 8686. */
public final class SextantServerBuilder implements Cloneable {
  Path dataDir = Paths.get("data");
  int grpcPort = 4317;
  int otlpHttpPort = 4318;
  int httpPort = 8686;
  String bindAddress = "0.0.0.0";
  IngestLimits limits = IngestLimits.defaults();
  RateLimits rateLimits = RateLimits.unlimited();
  long queueBytes = 256L << 20;
  List<ScrapeConfig> scrapeConfigs = List.of();
  Duration spanMetricsInterval = Duration.ofSeconds(15);
  Duration blockDuration;
  long minFreeDiskBytes = 256L << 20;
  Retention retention = Retention.defaults();
  Duration keepPinsAfterResolve = Duration.ofDays(7);
  List<String> ruleFiles = List.of();
  Path tenantRulesDir;
  /** Per tenant, the notifier config for a UI base URL (see {@link #notifier}). */
  Map<String, Function<String, NotifierConfig>>
      tenantNotifiers = new LinkedHashMap<>();
  /** The notifier config for a UI base URL, known only at start (the port may be 0). */
  Function<String, NotifierConfig> notifier =
      ui -> NotifierConfig.parse("route: {receiver: default}\nreceivers: [{name: default}]\n", ui);
  String externalUrl;
  Duration evaluationInterval = Duration.ofMinutes(1);
  Duration backtestTimeout = Duration.ofSeconds(30);
  double maxHeapUsedRatio = 0.95;
  Path playbooksDir;
  AccessPolicy accessPolicy = AccessPolicy.disabled();
  Path tlsCertFile;
  Path tlsKeyFile;
  String tlsKeyPassword;
  int maxTenants = 64;
  TenantLimits tenantLimits =
      TenantLimits.defaults();
  boolean adminApi;
  int maxSpansPerTraceRead = TraceRead.DEFAULT_MAX_SPANS;
  String statusConfigYaml = "";
  ClusterSettings cluster;
  /** The store role's consumer session timeout; null: the consumer's default (10 s). */
  Duration storeSessionTimeout;

  SextantServerBuilder() {}

  public SextantServerBuilder dataDir(Path dataDir) {
    this.dataDir = requireNonNull(dataDir, "dataDir");
    return this;
  }

  /** OTLP gRPC port; 0 picks a free one. */
  public SextantServerBuilder grpcPort(int port) {
    this.grpcPort = checkPort("grpcPort", port);
    return this;
  }

  /** OTLP HTTP port; 0 picks a free one. */
  public SextantServerBuilder otlpHttpPort(int port) {
    this.otlpHttpPort = checkPort("otlpHttpPort", port);
    return this;
  }

  /** UI and query API port; 0 picks a free one. */
  public SextantServerBuilder httpPort(int port) {
    this.httpPort = checkPort("httpPort", port);
    return this;
  }

  /**
   * Address to listen on: an IP address or a host name of this machine (default 0.0.0.0, every
   * interface; tests use 127.0.0.1). With authentication off and an address that is not a
   * loopback one, the server logs a warning at start.
   *
   * @throws IllegalArgumentException when it is blank or does not resolve
   */
  public SextantServerBuilder bindAddress(String address) {
    requireNonNull(address, "address");
    String a = address.trim();
    if (a.isEmpty() || !a.matches("[A-Za-z0-9.:\\[\\]%_-]+")) {
      throw new IllegalArgumentException("bindAddress: '" + address
          + "' (expected: an IP address such as 127.0.0.1, 0.0.0.0 or ::, or a host name)");
    }
    try {
      InetAddress.getByName(a);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("bindAddress: '" + address
          + "' does not resolve (expected: an IP address or a host name of this machine)", e);
    }
    this.bindAddress = a;
    return this;
  }

  /**
   * With authentication off, lets anonymous callers use the admin API too: {@code /-/reload}
   * and every {@code /-/} route, creating and expiring silences (API and UI forms) and
   * backtests. Default false: they are refused with 403 saying how to enable them. Has no
   * effect with authentication on, where tokens' roles decide. Prometheus's
   * {@code --web.enable-admin-api} and {@code --web.enable-lifecycle} play the same part.
   */
  public SextantServerBuilder enableAdminApi(boolean enable) {
    this.adminApi = enable;
    return this;
  }

  /** Largest OTLP request accepted, after decompression (default 16 MiB). */
  public SextantServerBuilder maxRequestBytes(int bytes) {
    this.limits = IngestLimits.builder().maxRequestBytes(bytes).build();
    return this;
  }

  /** Request and per-item ingest limits. */
  public SextantServerBuilder limits(IngestLimits limits) {
    this.limits = requireNonNull(limits, "limits");
    return this;
  }

  /** Per-tenant ingest rate limits (default: unlimited). */
  public SextantServerBuilder rateLimits(RateLimits rateLimits) {
    this.rateLimits = requireNonNull(rateLimits, "rateLimits");
    return this;
  }

  /** Byte budget of the ingest queue (default 256 MiB); over it requests get 503. */
  public SextantServerBuilder queueBytes(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("queueBytes: " + bytes + " (expected: > 0)");
    }
    this.queueBytes = bytes;
    return this;
  }

  /** Prometheus targets to scrape (default: none). */
  public SextantServerBuilder scrapeConfigs(List<ScrapeConfig> configs) {
    this.scrapeConfigs = List.copyOf(requireNonNull(configs, "configs"));
    return this;
  }

  /** Length of the storage's time blocks (default 2 h; 1 min to 24 h). */
  public SextantServerBuilder blockDuration(Duration duration) {
    this.blockDuration = requireNonNull(duration, "duration");
    return this;
  }

  /** How often span-derived RED metrics are written (default 15 s; zero disables). */
  public SextantServerBuilder spanMetricsInterval(Duration interval) {
    this.spanMetricsInterval = requireNonNull(interval, "interval");
    return this;
  }

  /**
   * {@code /health} thresholds: below {@code minFreeDiskBytes} free on the data directory's file
   * system, or heap use above {@code maxHeapUsedRatio} of the maximum, the server reports itself
   * unhealthy (defaults 256 MiB and 0.95).
   */
  public SextantServerBuilder healthThresholds(long minFreeDiskBytes, double maxHeapUsedRatio) {
    if (minFreeDiskBytes < 0) {
      throw new IllegalArgumentException("minFreeDiskBytes: " + minFreeDiskBytes
          + " (expected: >= 0)");
    }
    if (!(maxHeapUsedRatio > 0 && maxHeapUsedRatio <= 1)) {
      throw new IllegalArgumentException("maxHeapUsedRatio: " + maxHeapUsedRatio
          + " (expected: > 0 and <= 1)");
    }
    this.minFreeDiskBytes = minFreeDiskBytes;
    this.maxHeapUsedRatio = maxHeapUsedRatio;
    return this;
  }

  /** How long traces, logs and metrics are kept (default 7 d, 7 d, 15 d). */
  public SextantServerBuilder retention(Retention retention) {
    this.retention = requireNonNull(retention, "retention");
    return this;
  }

  /**
   * How long pinned traces and log lines stay after their incident resolved (default 7 d, at
   * least 1 min); see {@link dev.sextant.storage.Pins}.
   */
  public SextantServerBuilder keepPinsAfterResolve(Duration keep) {
    requireNonNull(keep, "keep");
    if (keep.toMinutes() < 1) {
      throw new IllegalArgumentException("retention.pinnedAfterResolve: " + keep
          + " (expected: >= 1m)");
    }
    this.keepPinsAfterResolve = keep;
    return this;
  }

  /** Prometheus rule files (paths or globs) to load and evaluate. */
  public SextantServerBuilder ruleFiles(List<String> pathsOrGlobs) {
    this.ruleFiles = List.copyOf(requireNonNull(pathsOrGlobs, "pathsOrGlobs"));
    return this;
  }

  /**
   * Per-tenant rules in the layout of Mimir's and Loki's local ruler storage: tenant {@code t}'s
   * rule files are {@code <dir>/t/*.yml} and {@code *.yaml}, evaluated over {@code t}'s data
   * only (sub-directory {@code default} adds to {@link #ruleFiles}). New sub-directories are
   * picked up within 10 seconds, changed files like rule files. Default: none.
   */
  public SextantServerBuilder tenantRulesDir(Path dir) {
    this.tenantRulesDir = requireNonNull(dir, "dir");
    return this;
  }

  /**
   * Notification config in Alertmanager's YAML shape ({@code route}, {@code receivers} with
   * {@code pagerduty_configs}/{@code webhook_configs}, {@code inhibit_rules}). Default: one
   * receiver with no integration (alerts are evaluated and listed, nobody is paged).
   */
  public SextantServerBuilder notifierConfig(String yaml) {
    requireNonNull(yaml, "yaml");
    this.notifier = ui -> NotifierConfig.parse(yaml, ui);
    return this;
  }

  /**
   * As {@link #notifierConfig(String)}, with the section already read from YAML (the server's
   * config file): it is interpreted as it is, never written back to YAML and read again.
   */
  public SextantServerBuilder notifierConfig(Map<String, ?> section) {
    requireNonNull(section, "section");
    this.notifier = ui -> NotifierConfig.of(section, ui);
    return this;
  }

  /**
   * Routes {@code tenant}'s alerts by its own notifier config (same shape as
   * {@link #notifierConfig}) instead of the shared one. Checked at start.
   */
  public SextantServerBuilder tenantNotifierConfig(String tenant, String yaml) {
    TenantContext.checkName("tenant", requireNonNull(tenant, "tenant"));
    requireNonNull(yaml, "yaml");
    tenantNotifiers.put(tenant, ui -> NotifierConfig.parse(yaml, ui));
    return this;
  }

  /** As {@link #tenantNotifierConfig(String, String)}, with the section already read. */
  public SextantServerBuilder tenantNotifierConfig(String tenant,
      Map<String, ?> section) {
    TenantContext.checkName("tenant", requireNonNull(tenant, "tenant"));
    requireNonNull(section, "section");
    tenantNotifiers.put(tenant, ui -> NotifierConfig.of(section, ui));
    return this;
  }

  /** The URL users reach Sextant's UI at, for links in pages (default http://localhost:PORT). */
  public SextantServerBuilder externalUrl(String url) {
    this.externalUrl = requireNonNull(url, "url");
    return this;
  }

  /** Rule groups without their own {@code interval} are evaluated this often (default 1 m). */
  public SextantServerBuilder evaluationInterval(Duration interval) {
    this.evaluationInterval = requireNonNull(interval, "interval");
    return this;
  }

  /**
   * Longest a {@code POST /api/alerts/backtest} replay may run (default 30 s); past it the
   * replay stops and the request is answered 503.
   */
  public SextantServerBuilder backtestTimeout(Duration timeout) {
    requireNonNull(timeout, "timeout");
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("backtestTimeout: " + timeout + " (expected: > 0)");
    }
    this.backtestTimeout = timeout;
    return this;
  }

  /** Markdown playbooks served read-only at {@code /playbooks/{name}} (default: none). */
  public SextantServerBuilder playbooksDir(Path dir) {
    this.playbooksDir = requireNonNull(dir, "dir");
    return this;
  }

  /**
   * Authentication and roles (default {@link AccessPolicy#disabled()}: anonymous callers read
   * and ingest; admin routes only with {@link #enableAdminApi}).
   */
  public SextantServerBuilder accessPolicy(AccessPolicy policy) {
    this.accessPolicy = requireNonNull(policy, "policy");
    return this;
  }

  /**
   * Serves every port over TLS only, with a PEM certificate chain and PEM PKCS#8 key;
   * {@code keyPassword} may be null for an unencrypted key.
   */
  public SextantServerBuilder tls(Path certFile, Path keyFile, String keyPassword) {
    for (Path f : new Path[] {requireNonNull(certFile, "certFile"),
        requireNonNull(keyFile, "keyFile")}) {
      if (!Files.isReadable(f)) {
        throw new IllegalArgumentException("tls: " + f + " (expected: a readable PEM file)");
      }
    }
    this.tlsCertFile = certFile;
    this.tlsKeyFile = keyFile;
    this.tlsKeyPassword = keyPassword;
    return this;
  }

  /**
   * Per-tenant limits on metric series (default: Mimir's, see
   * {@link dev.sextant.server.tenancy.TenantLimits#defaults()}).
   */
  public SextantServerBuilder tenantLimits(TenantLimits limits) {
    this.tenantLimits = requireNonNull(limits, "limits");
    return this;
  }

  /** The most tenants with an open store, the default one included (default 64). */
  public SextantServerBuilder maxTenants(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("maxTenants: " + max + " (expected: > 0)");
    }
    this.maxTenants = max;
    return this;
  }

  /**
   * Most spans one trace read returns (1-10,000,000, default 100,000): a trace with more answers
   * that many with {@code truncated: true}; Jaeger searches, correlations and service graphs
   * read at most that many over all their traces.
   */
  public SextantServerBuilder maxSpansPerTraceRead(int max) {
    this.maxSpansPerTraceRead = TraceRead.checkMaxSpans(
        "maxSpansPerTraceRead", max);
    return this;
  }

  /**
   * The configuration {@code GET /api/v1/status/config} shows, as YAML with its secrets already
   * masked (the CLI passes the merged file, environment and flags); empty by default, for a
   * server built in code.
   */
  public SextantServerBuilder statusConfigYaml(String yaml) {
    this.statusConfigYaml = requireNonNull(yaml, "yaml");
    return this;
  }

  /**
   * Makes this server a cluster node running {@code settings}' roles over Kafka
   * (docs/cluster.md). Default: none, the all-in-one node without Kafka.
   */
  public SextantServerBuilder cluster(ClusterSettings settings) {
    this.cluster = requireNonNull(settings, "settings");
    return this;
  }

  /**
   * How long the stores' group waits for a store that stopped heartbeating before its partitions
   * move (at least the broker's {@code group.min.session.timeout.ms}, 6 s by default). Default
   * 10 s; tests shorten it.
   */
  public SextantServerBuilder storeSessionTimeout(Duration timeout) {
    this.storeSessionTimeout = requireNonNull(timeout, "timeout");
    return this;
  }

  private static int checkPort(String name, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + ": " + port + " (expected: 0-65535)");
    }
    return port;
  }

  /**
   * Builds the server.
   *
   * @throws IllegalArgumentException when two of the three ports are the same (0, a free port
   *     each, may repeat): roles are decided by port, so a shared port would mix ingest with
   *     reads and admin
   */
  public SextantServer build() {
    distinct("otlpHttpPort", otlpHttpPort, "grpcPort", grpcPort);
    distinct("httpPort", httpPort, "grpcPort", grpcPort);
    distinct("httpPort", httpPort, "otlpHttpPort", otlpHttpPort);
    return new DefaultSextantServer(snapshot());
  }

  /**
   * A copy of these settings that later calls on this builder do not change: the server reads
   * its settings from it rather than copying them field by field. The fields hold immutable
   * values, except the tenant notifier map, copied here.
   */
  private SextantServerBuilder snapshot() {
    SextantServerBuilder copy;
    try {
      copy = (SextantServerBuilder) super.clone();
    } catch (CloneNotSupportedException e) {
      throw new AssertionError(e);
    }
    copy.tenantNotifiers = Map.copyOf(tenantNotifiers);
    return copy;
  }

  private static void distinct(String name, int port, String otherName, int other) {
    if (port != 0 && port == other) {
      throw new IllegalArgumentException(name + ": " + port + ", the same port as " + otherName
          + " (expected: grpc, OTLP HTTP and HTTP ports distinct; 0 picks a free port)");
    }
  }
}
