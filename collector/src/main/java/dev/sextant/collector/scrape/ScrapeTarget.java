package dev.sextant.collector.scrape;

import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.MetricWriter;
import dev.sextant.storage.metrics.StaleMarker;
import dev.sextant.storage.metrics.TimeSeries;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes one target: adds {@code job} and {@code instance} (a clashing scraped label is kept as
 * {@code exported_job}/{@code exported_instance}), writes {@code up},
 * {@code scrape_duration_seconds} and {@code scrape_samples_scraped}, and staleness markers for
 * series that disappeared since the last scrape or when the target is down.
 */
final class ScrapeTarget {
  private static final Logger log = LoggerFactory.getLogger(ScrapeTarget.class);
  private static final String ACCEPT = "application/openmetrics-text;version=1.0.0;q=0.9,"
      + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

  private final ScrapeConfig config;
  private final String target;
  private final HttpClient http;
  private final MetricWriter writer;
  private final URI uri;
  private Set<Labels> lastSeries = Set.of();
  private volatile String lastError = "";

  ScrapeTarget(ScrapeConfig config, String target, HttpClient http, MetricWriter writer) {
    this.config = config;
    this.target = target;
    this.http = http;
    this.writer = writer;
    this.uri = URI.create(config.scheme() + "://" + target + config.metricsPath());
  }

  String lastError() {
    return lastError;
  }

  /** One scrape; never throws (a failed scrape is {@code up 0}). */
  synchronized void scrapeOnce() {
    long start = System.nanoTime();
    long now = System.currentTimeMillis();
    List<ScrapedSample> samples;
    try {
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri)
          .timeout(config.scrapeTimeout()).header("Accept", ACCEPT)
          .header("X-Prometheus-Scrape-Timeout-Seconds",
              String.valueOf(config.scrapeTimeout().toMillis() / 1000.0))
          .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("HTTP status " + r.statusCode());
      }
      String type = r.headers().firstValue("content-type").orElse("");
      samples = TextFormatParser.parse(new String(r.body(), StandardCharsets.UTF_8),
          type.startsWith("application/openmetrics-text"));
      lastError = "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (Exception e) {
      lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      log.debug("scrape of {} failed: {}", uri, lastError);
      samples = null;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    List<TimeSeries> out = new ArrayList<>();
    Set<Labels> seen = new HashSet<>();
    if (samples != null) {
      for (ScrapedSample s : samples) {
        Labels l = withTargetLabels(s.labels());
        if (seen.add(l)) {
          out.add(TimeSeries.of(l, s.timestampMillis() >= 0 ? s.timestampMillis() : now,
              s.value()));
        }
      }
    }
    for (Labels gone : lastSeries) {
      if (!seen.contains(gone)) {
        out.add(TimeSeries.of(gone, now, StaleMarker.VALUE));
      }
    }
    lastSeries = seen;
    out.add(TimeSeries.of(meta("up"), now, samples == null ? 0 : 1));
    out.add(TimeSeries.of(meta("scrape_duration_seconds"), now, seconds));
    out.add(TimeSeries.of(meta("scrape_samples_scraped"), now,
        samples == null ? 0 : samples.size()));
    try {
      writer.write(out).get(config.scrapeInterval().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("storing scrape of {} failed: {}", uri, e.toString());
    }
  }

  private Labels meta(String name) {
    return Labels.of(Labels.NAME, name, "job", config.jobName(), "instance", target);
  }

  private Labels withTargetLabels(Labels scraped) {
    TreeMap<String, String> m = scraped.toMap();
    String job = m.remove("job");
    String instance = m.remove("instance");
    if (job != null) {
      m.put("exported_job", job);
    }
    if (instance != null) {
      m.put("exported_instance", instance);
    }
    m.put("job", config.jobName());
    m.put("instance", target);
    return Labels.of(m);
  }
}
