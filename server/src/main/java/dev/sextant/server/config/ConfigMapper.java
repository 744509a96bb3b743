package dev.sextant.server.config;

import dev.sextant.collector.limits.IngestLimits;
import dev.sextant.collector.limits.RateLimits;
import dev.sextant.collector.limits.Signal;
import dev.sextant.collector.scrape.ScrapeConfig;
import dev.sextant.query.Durations;
import dev.sextant.server.cluster.ClusterSettings;
import dev.sextant.server.cluster.Role;
import dev.sextant.server.tenancy.TenantLimits;
import dev.sextant.storage.metrics.SeriesLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Turns the config file's sections into the components' settings objects. */
public final class ConfigMapper {
  private ConfigMapper() {}

  public static IngestLimits limits(SextantConfig.Limits l) {
    IngestLimits.Builder b = IngestLimits.builder();
    if (l.maxRequestBytes > 0) {
      b.maxRequestBytes(l.maxRequestBytes);
    }
    if (l.maxAttributes > 0) {
      b.maxAttributes(l.maxAttributes);
    }
    if (l.maxAttributeValueLength > 0) {
      b.maxAttributeValueLength(l.maxAttributeValueLength);
    }
    if (l.maxAnyValueDepth > 0) {
      b.maxAnyValueDepth(l.maxAnyValueDepth);
    }
    if (l.maxEventsPerSpan > 0) {
      b.maxEventsPerSpan(l.maxEventsPerSpan);
    }
    if (l.maxLinksPerSpan > 0) {
      b.maxLinksPerSpan(l.maxLinksPerSpan);
    }
    if (l.maxAttributeKeyLength != 0) {
      b.maxAttributeKeyLength(l.maxAttributeKeyLength);
    }
    if (l.maxNameLength != 0) {
      b.maxNameLength(l.maxNameLength);
    }
    if (l.maxCorrelationIdLength != 0) {
      b.maxCorrelationIdLength(l.maxCorrelationIdLength);
    }
    return b.build();
  }

  public static List<ScrapeConfig> scrapeConfigs(
      List<SextantConfig.ScrapeJob> jobs) {
    List<ScrapeConfig> out = new ArrayList<>();
    for (int i = 0; i < jobs.size(); i++) {
      SextantConfig.ScrapeJob j = jobs.get(i);
      String where = "scrapeConfigs[" + i + "]";
      if (j.jobName == null || j.jobName.isBlank()) {
        throw new IllegalArgumentException(where + ".job_name: missing (expected: a name)");
      }
      List<String> targets = new ArrayList<>(j.targets);
      j.staticConfigs.forEach(sc -> targets.addAll(sc.targets));
      Duration interval = Durations.parse(where + ".scrape_interval", j.scrapeInterval);
      Duration timeout = j.scrapeTimeout == null
          ? (interval.compareTo(Duration.ofSeconds(10)) < 0 ? interval
              : Duration.ofSeconds(10))
          : Durations.parse(where + ".scrape_timeout", j.scrapeTimeout);
      long bodySizeLimit = j.bodySizeLimit == null ? ScrapeConfig.DEFAULT_BODY_SIZE_LIMIT
          : bytes(where + ".body_size_limit", j.bodySizeLimit);
      try {
        out.add(new ScrapeConfig(j.jobName, targets, interval, timeout, j.metricsPath, j.scheme,
            bodySizeLimit, j.sampleLimit, j.labelLimit, j.labelNameLengthLimit,
            j.labelValueLengthLimit));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + "." + e.getMessage(), e);
      }
    }
    return out;
  }

  /**
   * A size in Prometheus's notation (Go's {@code units.Base2Bytes}: {@code KB}, {@code MB},
   * {@code GB} are powers of 1024, as are {@code KiB}, {@code MiB}, {@code GiB}) or plain bytes.
   */
  static long bytes(String key, String value) {
    Matcher m = Pattern
        .compile("(\\d{1,10})\\s*(B|KB|KiB|MB|MiB|GB|GiB)?").matcher(value.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(key + ": '" + value
          + "' (expected: a size like 64MiB, 10MB or 1048576)");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2);
    int shift = switch (unit) {
      case "KB", "KiB" -> 10;
      case "MB", "MiB" -> 20;
      case "GB", "GiB" -> 30;
      default -> 0;
    };
    if (n > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException(key + ": '" + value + "' (expected: at most 1GiB)");
    }
    return n << shift;
  }

  /** The {@code tenantLimits:} section: Mimir's defaults where a key is not set. */
  public static TenantLimits tenantLimits(
      SextantConfig.TenantLimitsConfig c) {
    SeriesLimits defaults = seriesLimits(c.defaults,
        SeriesLimits.defaults("default"));
    Map<String, SeriesLimits> tenants = new HashMap<>();
    c.tenants.forEach((t, l) -> tenants.put(t, seriesLimits(l, defaults)));
    return TenantLimits.of(defaults, tenants);
  }

  private static SeriesLimits seriesLimits(
      SextantConfig.SeriesLimitsConfig c, SeriesLimits base) {
    if (c == null) {
      return base;
    }
    return new SeriesLimits(base.tenant(),
        or(c.getMaxGlobalSeriesPerUser(), base.maxSeries()),
        or(c.getMaxGlobalSeriesPerMetric(), base.maxSeriesPerMetric()),
        or(c.getMaxLabelNameLength(), base.maxLabelNameLength()),
        or(c.getMaxLabelValueLength(), base.maxLabelValueLength()),
        or(c.getMaxLabelNamesPerSeries(), base.maxLabelNamesPerSeries()));
  }

  private static int or(Integer v, int fallback) {
    return v == null ? fallback : v;
  }

  /**
   * The {@code cluster:} section as a node's settings, or null for the all-in-one node (no roles
   * and no Kafka address). A Kafka address without roles runs all four.
   *
   * @throws IllegalArgumentException naming the key: roles without a Kafka address, bad values
   */
  public static @Nullable ClusterSettings cluster(SextantConfig.ClusterConfig c) {
    boolean kafka = c.kafka.bootstrapServers != null;
    if (c.getRoles().isEmpty() && !kafka) {
      return null;
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String r : c.getRoles()) {
      roles.add(Role.parse("cluster.roles", r));
    }
    if (roles.isEmpty()) {
      roles = EnumSet.allOf(Role.class);
    }
    if (!kafka) {
      throw new IllegalArgumentException("cluster.kafka.bootstrapServers: missing (expected: "
          + "host:port[,host:port...] of the Kafka brokers, for cluster.roles " + c.getRoles()
          + ")");
    }
    if (c.topics.replicationFactor < 1 || c.topics.replicationFactor > 16) {
      throw new IllegalArgumentException("cluster.topics.replicationFactor: "
          + c.topics.replicationFactor + " (expected: 1-16)");
    }
    return new ClusterSettings(roles, c.kafka.bootstrapServers.strip(), c.topics.partitions,
        (short) c.topics.replicationFactor, c.topics.create, c.storeGroup, c.instanceId,
        c.advertisedUrl, c.stores, c.internalToken, KafkaProperties.read(c.kafka));
  }

  public static RateLimits rateLimits(SextantConfig.RateLimitsConfig c) {
    RateLimits r = RateLimits.create();
    apply(c.defaults, (s, l) -> r.defaultLimit(s, l), "rateLimits.default");
    for (Map.Entry<String, SextantConfig.SignalLimits> e : c.tenants.entrySet()) {
      apply(e.getValue(), (s, l) -> r.tenantLimit(e.getKey(), s, l),
          "rateLimits.tenants." + e.getKey());
    }
    return r;
  }

  private static void apply(SextantConfig.SignalLimits s,
      BiConsumer<Signal, RateLimits.Limit> sink, String path) {
    if (s == null) {
      return;
    }
    put(s.traces, Signal.TRACES, sink, path);
    put(s.logs, Signal.LOGS, sink, path);
    put(s.metrics, Signal.METRICS, sink, path);
  }

  private static void put(SextantConfig.Bucket b, Signal signal,
      BiConsumer<Signal, RateLimits.Limit> sink, String path) {
    if (b == null) {
      return;
    }
    double burst = b.burst > 0 ? b.burst : Math.max(1, b.rate * 2);
    try {
      sink.accept(signal, new RateLimits.Limit(b.rate, burst));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(path + "." + signal.key() + "." + e.getMessage(), e);
    }
  }
}
