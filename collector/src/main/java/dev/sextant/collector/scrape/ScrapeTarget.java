package dev.sextant.collector.scrape;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.ResponseTimeoutException;
import com.linecorp.armeria.client.UnprocessedRequestException;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.RequestHeaders;
import dev.sextant.collector.internal.DiscardedSamples;
import dev.sextant.collector.internal.Tenants;
import dev.sextant.storage.metrics.AppendResult;
import dev.sextant.storage.metrics.MetricMetadata;
import dev.sextant.storage.metrics.MetricWriter;
import dev.sextant.storage.metrics.SampleBatch;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes one target over HTTP/1.1 and writes what its {@link ScrapeLoop} makes of each body (or
 * of a failed scrape), at the scrape's timestamp snapped to the interval grid. The client is
 * Armeria's, on the event loops the server runs on: the body is read into one array, at most
 * {@code body_size_limit} bytes of it (a longer one, declared or streamed, fails the scrape and
 * closes the connection, as Prometheus's {@code body_size_limit} reader does).
 */
final class ScrapeTarget {
  private static final Logger log = LoggerFactory.getLogger(ScrapeTarget.class);
  private static final String ACCEPT = "application/openmetrics-text;version=1.0.0;q=0.9,"
      + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

  static final String TOLERANCE_PROPERTY = "sextant.scrape.timestampToleranceMillis";

  private final ScrapeConfig config;
  private final String target;
  private final WebClient http;
  private final RequestHeaders request;
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

  ScrapeTarget(ScrapeConfig config, String target, @Nullable ClientFactory clients,
      MetricWriter writer) {
    this.config = config;
    this.target = target;
    this.writer = writer;
    this.uri = URI.create(config.scheme() + "://" + target + config.metricsPath());
    // h1c/h1: HTTP/1.1 from the start, as Prometheus scrapes (no HTTP/2 preface to try first).
    this.http = WebClient.builder((config.scheme().equals("https") ? "h1" : "h1c") + "://"
            + uri.getRawAuthority())
        .factory(clients == null ? ClientFactory.ofDefault() : clients) // null: never scrapes
        .responseTimeout(config.scrapeTimeout())
        .maxResponseLength(config.bodySizeLimit())
        .build();
    String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    this.request = RequestHeaders.builder(HttpMethod.GET, path)
        .add(HttpHeaderNames.ACCEPT, ACCEPT)
        .add("x-prometheus-scrape-timeout-seconds",
            String.valueOf(config.scrapeTimeout().toMillis() / 1000.0))
        .build();
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
      AggregatedHttpResponse r = fetch();
      if (r.status().code() != 200) {
        throw new IllegalStateException("HTTP status " + r.status().code());
      }
      String type = r.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
      out = loop.scrapedSamples(r.content().array(), type.startsWith("application/openmetrics-text"), now,
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
   * scrape timeout (the client's response timeout ends the read too).
   */
  private AggregatedHttpResponse fetch() throws Exception {
    HttpResponse response = http.execute(request);
    CompletableFuture<AggregatedHttpResponse> f = response.aggregate();
    try {
      return f.get(config.scrapeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      response.abort();
      throw timeoutExceeded();
    } catch (InterruptedException e) {
      response.abort();
      throw e;
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof ResponseTimeoutException) {
        throw timeoutExceeded();
      }
      if (c instanceof ContentTooLargeException) {
        throw new BodyTooLargeException(config.bodySizeLimit());
      }
      if (c instanceof UnprocessedRequestException && c.getCause() != null) {
        c = c.getCause(); // e.g. the connection was refused
      }
      throw c instanceof Exception x ? x : e;
    }
  }

  private IllegalStateException timeoutExceeded() {
    return new IllegalStateException("scrape timeout of " + config.scrapeTimeout().toMillis()
        + " ms exceeded (scrape_timeout)");
  }

  /** The body is over {@code body_size_limit}. */
  static final class BodyTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BodyTooLargeException(long limit) {
      // Prometheus's error text, with the limit.
      super("body size limit exceeded (body_size_limit: " + limit + " bytes)");
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
