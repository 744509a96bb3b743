package dev.sextant.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.sextant.collector.limits.IngestLimits;
import dev.sextant.server.cluster.ClusterSettings;
import dev.sextant.server.cluster.Role;
import dev.sextant.server.security.AuthSettings;
import dev.sextant.server.security.TlsSettings;
import dev.sextant.server.tenancy.TenancySettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration file's shape (YAML). Every field has a default, so an empty or missing file
 * is a valid configuration. Field names are the YAML keys.
 */
public final class SextantConfig {
  public String dataDir = "data";
  public String bindAddress = "0.0.0.0";
  public String logLevel = "INFO";
  public Ports ports = new Ports();
  public Limits limits = new Limits();
  public Ingest ingest = new Ingest();
  public RateLimitsConfig rateLimits = new RateLimitsConfig();
  public TenantLimitsConfig tenantLimits = new TenantLimitsConfig();
  public List<ScrapeJob> scrapeConfigs = new ArrayList<>();
  public SpanMetrics spanMetrics = new SpanMetrics();
  public Health health = new Health();
  public RetentionConfig retention = new RetentionConfig();
  public StorageConfig storage = new StorageConfig();
  public Alerting alerting = new Alerting();
  public AuthSettings auth = new AuthSettings();
  public TlsSettings tls = new TlsSettings();
  public TenancySettings tenancy = new TenancySettings();
  public ClusterConfig cluster = new ClusterConfig();
  // Not a YAML key: Jackson sees neither a public field nor a bean getter.
  private final ConfigSources sources = new ConfigSources();

  /** Where each value came from (file line, env var, flag), for error messages. */
  public ConfigSources sources() {
    return sources;
  }

  /** {@code alerting:} rule files and, in Alertmanager's shape, who gets notified. */
  public static final class Alerting {
    public List<String> rules = new ArrayList<>();
    /**
     * Per-tenant rules, laid out as Mimir's and Loki's local ruler storage: tenant {@code t}'s
     * rule files are {@code <tenantRulesDir>/t/*.yml} and {@code *.yaml}. {@code rules} stay the
     * default tenant's.
     */
    public String tenantRulesDir;
    public String evaluationInterval = "1m";
    /** Longest one backtest request may replay before it is stopped (503). */
    public String backtestTimeout = "30s";
    public String externalUrl;
    /** A directory of Markdown playbooks served read-only at {@code /playbooks/{name}}. */
    public String playbooksDir;
    /** Alertmanager-style {@code route}, {@code receivers}, {@code inhibit_rules}. */
    public Map<String, Object> notifier;
    /** Per tenant, a notifier config of the same shape used instead of {@code notifier}. */
    public Map<String, Map<String, Object>> tenantNotifiers;
  }

  /**
   * {@code cluster:} cluster mode on Kafka (docs/cluster.md). No roles and no Kafka address: the
   * all-in-one node. A Kafka address without roles: all four roles over Kafka.
   */
  public static final class ClusterConfig {
    /** collector, store, query, alert (flag --role). */
    private List<String> roles = new ArrayList<>();
    public KafkaConfig kafka = new KafkaConfig();
    public TopicsConfig topics = new TopicsConfig();
    /** The stores' consumer group; a second group is a second replica of every partition. */
    public String storeGroup = "sextant-store";
    /** A store's stable name in its group (Kafka's group.instance.id); unset: dynamic. */
    public String instanceId;
    /** The URL other nodes reach this node's HTTP port at. */
    public String advertisedUrl;
    /** The stores' HTTP URLs, for query and alert nodes; empty: found through Kafka. */
    public List<String> stores = new ArrayList<>();
    /**
     * The cluster's shared secret for the stores' internal read API (env SEXTANT_CLUSTER_TOKEN);
     * required on stores, query and alert nodes that listen beyond loopback.
     */
    public String internalToken;

    public List<String> getRoles() {
      return roles;
    }

    /** Checked here so the error names the key and its line. */
    public void setRoles(List<String> roles) {
      for (String r : roles) {
        Role.parse("cluster.roles", r);
      }
      this.roles = new ArrayList<>(roles);
    }
  }

  /** {@code cluster.kafka:} where the brokers are. */
  public static final class KafkaConfig {
    /** host:port[,host:port...] (flag --kafka, env SEXTANT_KAFKA_BOOTSTRAP_SERVERS). */
    public String bootstrapServers;
    /**
     * Kafka client settings for every client of the node: how to reach the brokers
     * ({@code security.protocol}, {@code ssl.*}, {@code sasl.*}). Override the file's.
     */
    public Map<String, String> properties = new LinkedHashMap<>();
    /**
     * A Kafka client properties file (as Kafka's tools take with {@code --command-config}), for
     * settings that hold secrets (env SEXTANT_KAFKA_PROPERTIES_FILE).
     */
    public String propertiesFile;
  }

  /** {@code cluster.topics:} the topics a node creates when they are missing. */
  public static final class TopicsConfig {
    /** Never change it once data is in the topics: a trace's partition depends on it. */
    public int partitions = ClusterSettings.DEFAULT_PARTITIONS;
    public int replicationFactor = 1;
    public boolean create = true;
  }

  /** {@code storage:} how the embedded store partitions data. */
  public static final class StorageConfig {
    /** Length of a time block (1m to 24h); retention drops whole blocks. */
    public String blockDuration = "2h";
  }

  /** {@code retention:} how long each signal is kept, as durations (7d, 12h, ...). */
  public static final class RetentionConfig {
    public String traces = "7d";
    public String logs = "7d";
    public String metrics = "15d";
    /**
     * How long pinned traces and log lines (an incident's evidence) stay after the incident
     * resolved; unresolved ones stay until unpinned.
     */
    public String pinnedAfterResolve = "7d";
  }

  /** {@code health:} thresholds for {@code /health}. */
  public static final class Health {
    public long minFreeDiskBytes = 256L << 20;
    public double maxHeapUsedRatio = 0.95;
  }

  /** One {@code scrapeConfigs:} entry, with Prometheus's key names. */
  public static final class ScrapeJob {
    @JsonProperty("job_name")
    public String jobName;
    public List<String> targets = new ArrayList<>();
    @JsonProperty("static_configs")
    public List<StaticConfig> staticConfigs = new ArrayList<>();
    @JsonProperty("scrape_interval")
    public String scrapeInterval = "1m";
    @JsonProperty("scrape_timeout")
    public String scrapeTimeout;
    @JsonProperty("metrics_path")
    public String metricsPath = "/metrics";
    public String scheme = "http";
    /** Prometheus's units ({@code 64MiB}, {@code 10MB} = 10 MiB) or bytes; default 64 MiB. */
    @JsonProperty("body_size_limit")
    public String bodySizeLimit;
    @JsonProperty("sample_limit")
    public int sampleLimit;
    @JsonProperty("label_limit")
    public int labelLimit;
    @JsonProperty("label_name_length_limit")
    public int labelNameLengthLimit;
    @JsonProperty("label_value_length_limit")
    public int labelValueLengthLimit;
  }

  /** Prometheus's {@code static_configs} entry. */
  public static final class StaticConfig {
    public List<String> targets = new ArrayList<>();
  }

  /** {@code spanMetrics:} section: RED metrics derived from spans. */
  public static final class SpanMetrics {
    public boolean enabled = true;
    public String interval = "15s";
  }

  /** {@code ports:} section. */
  public static final class Ports {
    public int grpc = 4317;
    public int otlpHttp = 4318;
    public int http = 8686;
  }

  /** {@code limits:} section; 0 keeps the default. */
  public static final class Limits {
    public int maxRequestBytes;
    public int maxAttributes;
    public int maxAttributeValueLength;
    public int maxAnyValueDepth;
    public int maxEventsPerSpan;
    public int maxLinksPerSpan;
    /** See {@link dev.sextant.collector.limits.IngestLimits#maxAttributeKeyLength()}; 1-1024. */
    public int maxAttributeKeyLength;
    /** See {@link dev.sextant.collector.limits.IngestLimits#maxNameLength()}; 1-4096. */
    public int maxNameLength;
    /** See {@link dev.sextant.collector.limits.IngestLimits#maxCorrelationIdLength()}; 1-256. */
    public int maxCorrelationIdLength;

    // Checked as the file is read, so that the error names the key's line.
    public void setMaxAttributeKeyLength(int v) {
      IngestLimits.builder().maxAttributeKeyLength(v);
      maxAttributeKeyLength = v;
    }

    public void setMaxNameLength(int v) {
      IngestLimits.builder().maxNameLength(v);
      maxNameLength = v;
    }

    public void setMaxCorrelationIdLength(int v) {
      IngestLimits.builder().maxCorrelationIdLength(v);
      maxCorrelationIdLength = v;
    }

    /** Most spans one trace read returns; more are cut and the answer says truncated. */
    public int maxSpansPerTraceRead = 100_000;

    /** Checked here so the error names the key and, through Jackson, its line. */
    public void setMaxSpansPerTraceRead(int v) {
      if (v < 0 || v > 10_000_000) {
        throw new IllegalArgumentException(
            "limits.maxSpansPerTraceRead: " + v + " (expected: 1-10000000, 0 for the default)");
      }
      maxSpansPerTraceRead = v == 0 ? 100_000 : v;
    }
  }

  /** {@code ingest:} section. */
  public static final class Ingest {
    /** Byte budget of requests decoded but not yet durable; 0 keeps the default (256 MiB). */
    public long queueBytes;
  }

  /** {@code rateLimits:} section: {@code default} and per-tenant {@code tenants}. */
  public static final class RateLimitsConfig {
    @JsonProperty("default")
    public SignalLimits defaults = new SignalLimits();
    public Map<String, SignalLimits> tenants = new LinkedHashMap<>();
  }

  /**
   * {@code tenantLimits:} Mimir's per-tenant series limits: {@code default} and per-tenant
   * {@code tenants} overrides (an unset key of an override is the default's).
   */
  public static final class TenantLimitsConfig {
    @JsonProperty("default")
    public SeriesLimitsConfig defaults = new SeriesLimitsConfig();
    public Map<String, SeriesLimitsConfig> tenants = new LinkedHashMap<>();
  }

  /**
   * One tenant's series limits, Mimir's names in camelCase; null keeps the default, 0 is no
   * limit. Setters check the value, so an error names the key's line.
   */
  public static final class SeriesLimitsConfig {
    private Integer maxGlobalSeriesPerUser;
    private Integer maxGlobalSeriesPerMetric;
    private Integer maxLabelNameLength;
    private Integer maxLabelValueLength;
    private Integer maxLabelNamesPerSeries;

    public Integer getMaxGlobalSeriesPerUser() {
      return maxGlobalSeriesPerUser;
    }

    public void setMaxGlobalSeriesPerUser(Integer v) {
      maxGlobalSeriesPerUser = nonNegative("maxGlobalSeriesPerUser", v);
    }

    public Integer getMaxGlobalSeriesPerMetric() {
      return maxGlobalSeriesPerMetric;
    }

    public void setMaxGlobalSeriesPerMetric(Integer v) {
      maxGlobalSeriesPerMetric = nonNegative("maxGlobalSeriesPerMetric", v);
    }

    public Integer getMaxLabelNameLength() {
      return maxLabelNameLength;
    }

    public void setMaxLabelNameLength(Integer v) {
      maxLabelNameLength = nonNegative("maxLabelNameLength", v);
    }

    public Integer getMaxLabelValueLength() {
      return maxLabelValueLength;
    }

    public void setMaxLabelValueLength(Integer v) {
      maxLabelValueLength = nonNegative("maxLabelValueLength", v);
    }

    public Integer getMaxLabelNamesPerSeries() {
      return maxLabelNamesPerSeries;
    }

    public void setMaxLabelNamesPerSeries(Integer v) {
      maxLabelNamesPerSeries = nonNegative("maxLabelNamesPerSeries", v);
    }

    private static Integer nonNegative(String key, Integer v) {
      if (v != null && v < 0) {
        throw new IllegalArgumentException(key + ": " + v + " (expected: >= 0, 0 = no limit)");
      }
      return v;
    }
  }

  /** Limits per signal; an absent signal is unlimited (or the default, for a tenant). */
  public static final class SignalLimits {
    public Bucket traces;
    public Bucket logs;
    public Bucket metrics;
  }

  /** A token bucket: items per second and burst (default: twice the rate). */
  public static final class Bucket {
    public double rate;
    public double burst;
  }
}
