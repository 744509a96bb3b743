package dev.sextant.query.prometheus;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One scrape target as {@code /api/v1/targets} shows it in {@code activeTargets}, with
 * Prometheus's field names. Whoever scrapes (the collector) supplies them; this module only
 * serves them.
 *
 * @param discoveredLabels the target's labels before relabelling ({@code __address__},
 *     {@code __metrics_path__}, {@code __scheme__}, {@code job}, ...)
 * @param labels the labels its series get ({@code job}, {@code instance})
 * @param scrapePool the job name
 * @param health {@code up}, {@code down} or {@code unknown} (not scraped yet)
 * @param lastError why the last scrape failed, {@code ""} if it did not
 * @param lastScrape when the last scrape started; null before the first
 * @param lastScrapeDuration seconds
 */
public record ActiveTarget(Map<String, String> discoveredLabels, Map<String, String> labels,
    String scrapePool, String scrapeUrl, String globalUrl, String lastError,
    @Nullable Instant lastScrape, double lastScrapeDuration, String health,
    Duration scrapeInterval, Duration scrapeTimeout) {
  public ActiveTarget {
    discoveredLabels = Map.copyOf(discoveredLabels);
    labels = Map.copyOf(labels);
    requireNonNull(scrapePool, "scrapePool");
    requireNonNull(scrapeUrl, "scrapeUrl");
    requireNonNull(globalUrl, "globalUrl");
    requireNonNull(lastError, "lastError");
    requireNonNull(health, "health");
    requireNonNull(scrapeInterval, "scrapeInterval");
    requireNonNull(scrapeTimeout, "scrapeTimeout");
  }
}
