package dev.sextant.server.config;

import dev.sextant.collector.IngestLimits;
import dev.sextant.collector.RateLimits;
import dev.sextant.collector.Signal;
import dev.sextant.collector.scrape.ScrapeConfig;
import java.util.Map;

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

  public static java.util.List<ScrapeConfig> scrapeConfigs(
      java.util.List<SextantConfig.ScrapeJob> jobs) {
    java.util.List<ScrapeConfig> out = new java.util.ArrayList<>();
    for (int i = 0; i < jobs.size(); i++) {
      SextantConfig.ScrapeJob j = jobs.get(i);
      String where = "scrapeConfigs[" + i + "]";
      if (j.jobName == null || j.jobName.isBlank()) {
        throw new IllegalArgumentException(where + ".job_name: missing (expected: a name)");
      }
      java.util.List<String> targets = new java.util.ArrayList<>(j.targets);
      j.staticConfigs.forEach(sc -> targets.addAll(sc.targets));
      java.time.Duration interval = Durations.parse(where + ".scrape_interval", j.scrapeInterval);
      java.time.Duration timeout = j.scrapeTimeout == null
          ? (interval.compareTo(java.time.Duration.ofSeconds(10)) < 0 ? interval
              : java.time.Duration.ofSeconds(10))
          : Durations.parse(where + ".scrape_timeout", j.scrapeTimeout);
      try {
        out.add(new ScrapeConfig(j.jobName, targets, interval, timeout, j.metricsPath, j.scheme));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + "." + e.getMessage(), e);
      }
    }
    return out;
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
      java.util.function.BiConsumer<Signal, RateLimits.Limit> sink, String path) {
    if (s == null) {
      return;
    }
    put(s.traces, Signal.TRACES, sink, path);
    put(s.logs, Signal.LOGS, sink, path);
    put(s.metrics, Signal.METRICS, sink, path);
  }

  private static void put(SextantConfig.Bucket b, Signal signal,
      java.util.function.BiConsumer<Signal, RateLimits.Limit> sink, String path) {
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
