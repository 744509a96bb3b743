package dev.sextant.collector.scrape;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * One scrape job, as in Prometheus's {@code scrape_configs}: targets are {@code host:port}; the
 * timeout must not exceed the interval.
 *
 * <p>Limits, with Prometheus's semantics (over one, the whole scrape fails: {@code up} 0, the
 * reason logged, staleness markers for the target's series, nothing of the body stored):
 * {@code bodySizeLimit} bytes of body (read bounded: never more is buffered; unlike Prometheus,
 * where 0 means none, it is always bounded, by default {@value #DEFAULT_BODY_SIZE_LIMIT}),
 * {@code sampleLimit} samples per scrape, {@code labelLimit} labels per series (with
 * {@code __name__}, {@code job} and {@code instance}), {@code labelNameLengthLimit} and
 * {@code labelValueLengthLimit} characters. For those four, 0 (the default) means no limit.
 */
public record ScrapeConfig(String jobName, List<String> targets, Duration scrapeInterval,
    Duration scrapeTimeout, String metricsPath, String scheme, long bodySizeLimit,
    int sampleLimit, int labelLimit, int labelNameLengthLimit, int labelValueLengthLimit) {
  /** 64 MiB: Prometheus has no default; a bounded one keeps a runaway target from OOMing us. */
  public static final long DEFAULT_BODY_SIZE_LIMIT = 64L << 20;
  /** The largest {@code body_size_limit} accepted, 1 GiB. */
  public static final long MAX_BODY_SIZE_LIMIT = 1L << 30;

  /** A job with the default limits. */
  public ScrapeConfig(String jobName, List<String> targets, Duration scrapeInterval,
      Duration scrapeTimeout, String metricsPath, String scheme) {
    this(jobName, targets, scrapeInterval, scrapeTimeout, metricsPath, scheme,
        DEFAULT_BODY_SIZE_LIMIT, 0, 0, 0, 0);
  }

  public ScrapeConfig {
    requireNonNull(jobName, "jobName");
    requireNonNull(targets, "targets");
    requireNonNull(scrapeInterval, "scrapeInterval");
    requireNonNull(scrapeTimeout, "scrapeTimeout");
    requireNonNull(metricsPath, "metricsPath");
    requireNonNull(scheme, "scheme");
    if (jobName.isEmpty()) {
      throw new IllegalArgumentException("job_name: empty (expected: a name)");
    }
    if (scrapeInterval.toMillis() < 100) {
      throw new IllegalArgumentException("scrape_interval: " + scrapeInterval
          + " (expected: >= 100ms)");
    }
    if (scrapeTimeout.isNegative() || scrapeTimeout.isZero()
        || scrapeTimeout.compareTo(scrapeInterval) > 0) {
      throw new IllegalArgumentException("scrape_timeout: " + scrapeTimeout
          + " (expected: > 0 and <= scrape_interval " + scrapeInterval + ")");
    }
    if (!metricsPath.startsWith("/")) {
      throw new IllegalArgumentException("metrics_path: " + metricsPath
          + " (expected: starting with /)");
    }
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("scheme: " + scheme + " (expected: http or https)");
    }
    for (String t : targets) {
      if (!t.matches("[^/\\s:]+:\\d{1,5}")) {
        throw new IllegalArgumentException("targets: '" + t + "' (expected: host:port)");
      }
    }
    if (bodySizeLimit < 1 || bodySizeLimit > MAX_BODY_SIZE_LIMIT) {
      throw new IllegalArgumentException("body_size_limit: " + bodySizeLimit
          + " (expected: 1.." + MAX_BODY_SIZE_LIMIT + " bytes; the body is always bounded)");
    }
    notNegative("sample_limit", sampleLimit);
    notNegative("label_limit", labelLimit);
    notNegative("label_name_length_limit", labelNameLengthLimit);
    notNegative("label_value_length_limit", labelValueLengthLimit);
    targets = List.copyOf(targets);
  }

  /** This job with other limits (see the class comment). */
  public ScrapeConfig withLimits(long bodySizeLimit, int sampleLimit, int labelLimit,
      int labelNameLengthLimit, int labelValueLengthLimit) {
    return new ScrapeConfig(jobName, targets, scrapeInterval, scrapeTimeout, metricsPath, scheme,
        bodySizeLimit, sampleLimit, labelLimit, labelNameLengthLimit, labelValueLengthLimit);
  }

  private static void notNegative(String key, int v) {
    if (v < 0) {
      throw new IllegalArgumentException(key + ": " + v + " (expected: >= 0, 0 = no limit)");
    }
  }

  /** Prometheus's defaults: 1 m interval, 10 s timeout, {@code /metrics}, http. */
  public static ScrapeConfig of(String jobName, List<String> targets) {
    return new ScrapeConfig(jobName, targets, Duration.ofMinutes(1), Duration.ofSeconds(10),
        "/metrics", "http");
  }
}
