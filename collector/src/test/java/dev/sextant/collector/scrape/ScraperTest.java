package dev.sextant.collector.scrape;

import dev.sextant.storage.embedded.EmbeddedMetricStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.MetricMetadata;
import dev.sextant.storage.metrics.MetricStore;
import dev.sextant.storage.metrics.SampleIterator;
import dev.sextant.storage.metrics.Series;
import dev.sextant.storage.metrics.StaleMarker;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;
import io.prometheus.client.exporter.HTTPServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scrapes an app instrumented with the Prometheus Java client (simpleclient), as it is. */
class ScraperTest {
  @TempDir
  Path dir;

  @Test
  void scrape_writesSamplesUpAndStalenessMarkers() throws Exception {
    CollectorRegistry registry = new CollectorRegistry();
    Counter requests = Counter.build("http_requests_total", "Requests").labelNames("path")
        .register(registry);
    Gauge pool = Gauge.build("db_connection_pool_usage", "Pool").register(registry);
    Histogram latency = Histogram.build("http_request_duration_seconds", "Latency")
        .buckets(0.1, 1).register(registry);
    requests.labels("/orders").inc(3);
    pool.set(0.25);
    latency.observe(0.05);
    HTTPServer app = new HTTPServer(new InetSocketAddress("127.0.0.1", 0), registry, true);
    String target = "127.0.0.1:" + app.getPort();
    try (MetricStore store = EmbeddedMetricStore.open(dir);
         Scraper scraper = Scraper.start(List.of(new ScrapeConfig("shop", List.of(target),
             Duration.ofMillis(200), Duration.ofMillis(200), "/metrics", "http")), store)) {
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        assertThat(last(store, "up")).isEqualTo(1.0);
        assertThat(last(store, "http_requests_total")).isEqualTo(3.0);
      });
      Series s = store.select(List.of(LabelMatcher.eq("__name__", "http_requests_total")), 0,
          Long.MAX_VALUE).get(0);
      assertThat(s.labels().get("job")).isEqualTo("shop");
      assertThat(s.labels().get("instance")).isEqualTo(target);
      assertThat(s.labels().get("path")).isEqualTo("/orders");
      assertThat(store.select(List.of(LabelMatcher.eq("__name__",
          "http_request_duration_seconds_bucket")), 0, Long.MAX_VALUE))
          .extracting(x -> x.labels().get("le")).contains("0.1", "1.0", "+Inf");
      assertThat(last(store, "scrape_duration_seconds")).isPositive();

      registry.unregister(pool); // the series disappears from the exposition
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(StaleMarker.isStale(last(store, "db_connection_pool_usage"))).isTrue());

      app.close(); // the target goes down
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        assertThat(last(store, "up")).isEqualTo(0.0);
        assertThat(StaleMarker.isStale(last(store, "http_requests_total"))).isTrue();
      });
    } finally {
      app.close();
    }
  }

  @Test
  void add_scrapesTargetsAddedWhileRunning() throws Exception {
    CollectorRegistry registry = new CollectorRegistry();
    Counter.build("orders_total", "Orders").register(registry).inc(7);
    HTTPServer app = new HTTPServer(new InetSocketAddress("127.0.0.1", 0), registry, true);
    String target = "127.0.0.1:" + app.getPort();
    try (MetricStore store = EmbeddedMetricStore.open(dir);
         Scraper scraper = Scraper.start(List.of(), store)) {
      assertThat(scraper.targetCount()).isZero();
      // known only now, as when a process bound port 0 and reported it
      scraper.add(List.of(new ScrapeConfig("late", List.of(target), Duration.ofMillis(200),
          Duration.ofMillis(200), "/metrics", "http")));
      assertThat(scraper.targetCount()).isEqualTo(1);
      await().atMost(Duration.ofSeconds(20)).untilAsserted(
          () -> assertThat(last(store, "orders_total")).isEqualTo(7.0));
      Series s = store.select(List.of(LabelMatcher.eq("__name__", "orders_total")), 0,
          Long.MAX_VALUE).get(0);
      assertThat(s.labels().get("job")).isEqualTo("late");
    } finally {
      app.close();
    }
  }

  @Test
  void targets_healthAndMetadataFollowTheScrapes() throws Exception {
    CollectorRegistry registry = new CollectorRegistry();
    Counter.build("orders_total", "Orders placed.").register(registry).inc(7);
    Histogram.build("latency_seconds", "Latency.").buckets(1).register(registry).observe(0.5);
    HTTPServer app = new HTTPServer(new InetSocketAddress("127.0.0.1", 0), registry, true);
    String target = "127.0.0.1:" + app.getPort();
    ScrapeConfig config = new ScrapeConfig("shop", List.of(target), Duration.ofMillis(200),
        Duration.ofMillis(200), "/metrics", "http");
    try (MetricStore store = EmbeddedMetricStore.open(dir);
         Scraper scraper = Scraper.start(List.of(config), store)) {
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(scraper.targets()).singleElement().satisfies(t -> {
            assertThat(t.health()).isEqualTo(TargetHealth.Health.UP);
            assertThat(t.lastScrape()).isNotNull();
          }));
      TargetHealth up = scraper.targets().get(0);
      assertThat(up.scrapeUrl()).isEqualTo("http://" + target + "/metrics");
      assertThat(up.lastError()).isEmpty();
      assertThat(up.lastScrapeDurationSeconds()).isPositive();
      assertThat(up.config()).isEqualTo(config);
      // The exposition's # TYPE and # HELP lines, as the metadata API will show them (the
      // client answers our Accept with OpenMetrics, whose counter family has no _total).
      assertThat(store.metadata("orders", -1, 0).get("orders")).containsExactly(
          new MetricMetadata("orders", MetricMetadata.Type.COUNTER, "Orders placed.", ""));
      assertThat(store.metadata("latency_seconds", -1, 0).get("latency_seconds"))
          .extracting(MetricMetadata::type).containsExactly(MetricMetadata.Type.HISTOGRAM);

      app.close();
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(scraper.targets()).singleElement().satisfies(t -> {
            assertThat(t.health()).isEqualTo(TargetHealth.Health.DOWN);
            assertThat(t.lastError()).isNotEmpty();
          }));
    } finally {
      app.close();
    }
  }

  private static double last(MetricStore store, String name) {
    List<Series> all = store.select(List.of(LabelMatcher.eq("__name__", name)), 0,
        Long.MAX_VALUE);
    if (all.isEmpty()) {
      return Double.NaN;
    }
    SampleIterator it = all.get(0).samples();
    double v = Double.NaN;
    while (it.next()) {
      v = it.value();
    }
    return v;
  }
}
