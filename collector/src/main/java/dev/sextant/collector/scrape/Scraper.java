package dev.sextant.collector.scrape;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.client.ClientFactory;
import dev.sextant.storage.metrics.MetricWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Scrapes static targets on their intervals into a {@link MetricWriter}. Start offsets are
 * spread over the interval so many targets don't scrape in lockstep. Targets can be added while
 * it runs ({@link #add}), for addresses known only later. {@link #close()} stops it.
 */
public final class Scraper implements AutoCloseable {
  private final ScheduledExecutorService scheduler;
  private final List<ScrapeTarget> targets = new CopyOnWriteArrayList<>();
  private final ClientFactory http;
  private final MetricWriter writer;

  private Scraper(List<ScrapeConfig> configs, MetricWriter writer) {
    this.writer = writer;
    // Connections kept between scrapes of long intervals too (Armeria's default idle timeout
    // is 10 s); the common event loops, not threads of its own.
    http = ClientFactory.builder().connectTimeout(Duration.ofSeconds(5))
        .idleTimeout(Duration.ofMinutes(5)).build();
    scheduler = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "sextant-scraper");
      t.setDaemon(true);
      return t;
    });
    add(configs);
  }

  /**
   * Starts scraping every target of {@code configs} too, next to those already scraped.
   *
   * @throws java.util.concurrent.RejectedExecutionException after {@link #close()}
   */
  public void add(List<ScrapeConfig> configs) {
    for (ScrapeConfig c : List.copyOf(requireNonNull(configs, "configs"))) {
      long interval = c.scrapeInterval().toMillis();
      for (String target : c.targets()) {
        ScrapeTarget t = new ScrapeTarget(c, target, http, writer);
        targets.add(t);
        long offset = ThreadLocalRandom.current().nextLong(Math.min(interval, 1000));
        scheduler.scheduleAtFixedRate(t::scrapeOnce, offset, interval, TimeUnit.MILLISECONDS);
      }
    }
  }

  /** Starts scraping every target of {@code configs}. */
  public static Scraper start(List<ScrapeConfig> configs, MetricWriter writer) {
    return new Scraper(List.copyOf(requireNonNull(configs, "configs")),
        requireNonNull(writer, "writer"));
  }

  public int targetCount() {
    return targets.size();
  }

  /**
   * Each target ({@code job/host:port}) and why its last scrape failed, as Prometheus's
   * {@code lastError} on its targets page ({@code ""} when it succeeded or has not run).
   */
  public Map<String, String> lastErrors() {
    Map<String, String> out = new LinkedHashMap<>();
    for (ScrapeTarget t : targets) {
      out.put(t.name(), t.lastError());
    }
    return out;
  }

  /** Every target's health, in the order they were added. */
  public List<TargetHealth> targets() {
    List<TargetHealth> out = new ArrayList<>(targets.size());
    for (ScrapeTarget t : targets) {
      out.add(t.health());
    }
    return out;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    http.close();
  }
}
