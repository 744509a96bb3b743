package dev.sextant.collector.scrape;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * One scrape job, as in Prometheus's {@code scrape_configs}: targets are {@code host:port}; the
 * timeout must not exceed the interval.
 */
public record ScrapeConfig(String jobName, List<String> targets, Duration scrapeInterval,
    Duration scrapeTimeout, String metricsPath, String scheme) {
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
    targets = List.copyOf(targets);
  }

  /** Prometheus's defaults: 1 m interval, 10 s timeout, {@code /metrics}, http. */
  public static ScrapeConfig of(String jobName, List<String> targets) {
    return new ScrapeConfig(jobName, targets, Duration.ofMinutes(1), Duration.ofSeconds(10),
        "/metrics", "http");
  }
}
