package dev.sextant.collector.scrape;

import dev.sextant.collector.internal.DiscardedSamples;
import dev.sextant.collector.internal.Tenants;
import dev.sextant.storage.metrics.AppendResult;
import dev.sextant.storage.metrics.MetricMetadata;
import dev.sextant.storage.metrics.MetricWriter;
import dev.sextant.storage.metrics.SampleBatch;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes one target over HTTP and writes what its {@link ScrapeLoop} makes of each body (or of
 * a failed scrape), at the scrape's timestamp snapped to the interval grid.
 */
final class ScrapeTarget {
  private static final Logger log = LoggerFactory.getLogger(ScrapeTarget.class);
  private static final String ACCEPT = "application/openmetrics-text;version=1.0.0;q=0.9,"
      + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

  static final String TOLERANCE_PROPERTY = "sextant.scrape.timestampToleranceMillis";

  private final ScrapeConfig config;
  private final String target;
  private final HttpClient http;
  private final MetricWriter writer;
  private final URI uri;
  private final ScrapeLoop loop;
  private final long toleranceMillis;
  private long grid = Long.MIN_VALUE;
  private volatile String lastError = "";
  /** The last scrape's start (unix ms, -1 before the first) and duration, for its health. */
  private volatile long lastScrapeMillis = -1;
  private volatile double lastDurationSeconds;
  private String lastStoreError = "";
  private String lastMetadataError = "";

  ScrapeTarget(ScrapeConfig config, String target, HttpClient http, MetricWriter writer) {
    this.config = config;
    this.target = target;
    this.http = http;
    this.writer = writer;
    this.uri = URI.create(config.scheme() + "://" + target + config.metricsPath());
    this.loop = ScrapeLoop.of(config, target);
    this.toleranceMillis = toleranceMillis(config.scrapeInterval().toMillis());
  }

  /**
   * How late a scrape may start and still get its scheduled timestamp: the system property
   * {@value #TOLERANCE_PROPERTY} (ms), else 1% of the interval up to 25 ms. Prometheus's default
   * is 2 ms, which the scheduler of a busy JVM often misses; 1% of the interval bounds what the
   * snapping can shift a {@code rate()} by.
   */
  static long toleranceMillis(long intervalMillis) {
    String p = System.getProperty(TOLERANCE_PROPERTY);
    if (p != null) {
      return Math.min(Long.parseLong(p.trim()), intervalMillis / 2);
    }
    return Math.min(25, intervalMillis / 100);
  }

  /** {@code job/host:port}. */
  String name() {
    return config.jobName() + "/" + target;
  }

  String lastError() {
    return lastError;
  }

  /** The target's health after its last scrape. */
  TargetHealth health() {
    long last = lastScrapeMillis;
    String error = lastError;
    return new TargetHealth(config, target, uri.toString(), last < 0
        ? TargetHealth.Health.UNKNOWN : error.isEmpty() ? TargetHealth.Health.UP
        : TargetHealth.Health.DOWN, error, last < 0 ? null : Instant.ofEpochMilli(last),
        lastDurationSeconds);
  }

  /** One scrape; never throws (a failed scrape is {@code up 0}). */
  synchronized void scrapeOnce() {
    long start = System.nanoTime();
    long wallStart = System.currentTimeMillis();
    long now = scrapeTime(wallStart);
    SampleBatch out;
    String error;
    try {
      HttpResponse<byte[]> r = fetch();
      if (r.statusCode() != 200) {
        throw new IllegalStateException("HTTP status " + r.statusCode());
      }
      String type = r.headers().firstValue("content-type").orElse("");
      out = loop.scrapedSamples(r.body(), type.startsWith("application/openmetrics-text"), now,
          (System.nanoTime() - start) / 1e9);
      error = "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (Exception e) {
      error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      out = loop.failedSamples(now, (System.nanoTime() - start) / 1e9);
    }
    setError(error, e -> log.warn("scrape of {} failed: {}", uri, e));
    if (error.isEmpty()) {
      storeMetadata(); // a target that is down no longer vouches for its metadata
    }
    lastDurationSeconds = (System.nanoTime() - start) / 1e9;
    lastScrapeMillis = wallStart; // last: once health() sees it, the rest is in place
    try {
      AppendResult appended = writer.append(out)
          .get(config.scrapeInterval().toMillis(), TimeUnit.MILLISECONDS);
      if (!appended.allAccepted()) {
        // As Prometheus does with samples its storage refuses: skipped, counted, logged.
        DiscardedSamples.count(Tenants.DEFAULT, appended);
        if (!appended.message().equals(lastStoreError)) {
          log.warn("scrape of {}: {} series refused: {}", uri, appended.refusedSeries(),
              appended.message());
        }
      }
      lastStoreError = appended.allAccepted() ? "" : appended.message();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("storing scrape of {} failed: {}", uri, e.toString());
    }
  }

  /**
   * Hands the metadata of this successful scrape to the writer: at every one, so the
   * store knows it is still current (its retention drops metadata nobody reports); the store
   * compares in memory and writes only what changed.
   */
  private void storeMetadata() {
    List<MetricMetadata> m = loop.metadata();
    if (m.isEmpty()) {
      return;
    }
    String error = "";
    try {
      writer.writeMetadata(m);
    } catch (RuntimeException e) {
      error = e.toString();
      if (!error.equals(lastMetadataError)) {
        log.warn("scrape of {}: metadata not stored: {}", uri, error);
      }
    }
    lastMetadataError = error;
  }

  /** Logs a failure once when it starts or changes, not at every interval. */
  private void setError(String error, Consumer<String> logger) {
    if (!error.isEmpty() && !error.equals(lastError)) {
      logger.accept(error);
    }
    lastError = error;
  }

  /**
   * GETs the target, reading at most {@code body_size_limit} bytes of body, all within the
   * scrape timeout (the request timeout alone stops at the headers).
   */
  private HttpResponse<byte[]> fetch() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(config.scrapeTimeout()).header("Accept", ACCEPT)
        .header("X-Prometheus-Scrape-Timeout-Seconds",
            String.valueOf(config.scrapeTimeout().toMillis() / 1000.0))
        .GET().build();
    CompletableFuture<HttpResponse<byte[]>> f =
        http.sendAsync(request, BoundedBody.handler(config.bodySizeLimit()));
    try {
      return f.get(config.scrapeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new IllegalStateException("scrape timeout of " + config.scrapeTimeout().toMillis()
          + " ms exceeded (scrape_timeout)");
    } catch (InterruptedException e) {
      f.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception c ? c : e;
    }
  }

  /**
   * The timestamp of a scrape starting at {@code now}: the point of the interval grid (anchored
   * at the first scrape) when the scheduler woke us at most {@link #toleranceMillis} late, so
   * consecutive samples are exactly one interval apart and their delta-of-delta costs one bit
   * (Prometheus aligns likewise, with {@code --scrape.timestamp-tolerance}); else {@code now}.
   */
  long scrapeTime(long now) {
    long interval = config.scrapeInterval().toMillis();
    if (toleranceMillis <= 0 || grid == Long.MIN_VALUE || now < grid) {
      grid = now;
      return now;
    }
    grid += (now - grid) / interval * interval;
    return now - grid <= toleranceMillis ? grid : now;
  }

}
