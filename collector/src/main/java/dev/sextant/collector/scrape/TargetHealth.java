package dev.sextant.collector.scrape;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * How one scrape target is doing, as Prometheus's targets page and {@code /api/v1/targets} show
 * it.
 *
 * @param config the target's job
 * @param target {@code host:port}
 * @param scrapeUrl the URL scraped
 * @param health {@link Health#UNKNOWN} until the first scrape has ended
 * @param lastError why the last scrape failed, {@code ""} when it succeeded or none ran yet
 * @param lastScrape when the last scrape started; null before the first
 * @param lastScrapeDurationSeconds how long the last scrape took, 0 before the first
 */
public record TargetHealth(ScrapeConfig config, String target, String scrapeUrl, Health health,
    String lastError, @Nullable Instant lastScrape, double lastScrapeDurationSeconds) {
  /** Prometheus's target health. */
  public enum Health {
    UP, DOWN, UNKNOWN;

    /** {@code up}, {@code down}, {@code unknown}. */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public TargetHealth {
    requireNonNull(config, "config");
    requireNonNull(target, "target");
    requireNonNull(scrapeUrl, "scrapeUrl");
    requireNonNull(health, "health");
    requireNonNull(lastError, "lastError");
  }
}
