package dev.sextant.query.prometheus;

import dev.sextant.storage.embedded.EmbeddedMetricStore;
import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.server.Server;
import dev.sextant.query.promql.EngineOptions;
import dev.sextant.query.promql.PromqlEngine;
import dev.sextant.storage.metrics.MetricMetadata;
import dev.sextant.storage.metrics.MetricMetadata.Type;
import dev.sextant.storage.metrics.MetricStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/v1/metadata} and {@code /api/v1/targets} over a real store and server. */
class MetadataAndTargetsTest {
  @TempDir
  static Path dir;
  private static MetricStore store;
  private static Server server;
  private static WebClient client;

  @BeforeAll
  static void start() {
    store = EmbeddedMetricStore.builder(dir.resolve("db")).syncWrites(false).build();
    store.writeMetadata(List.of(
        new MetricMetadata("req_total", Type.COUNTER, "Requests.", ""),
        new MetricMetadata("latency_seconds", Type.HISTOGRAM, "Latency.", "seconds"),
        new MetricMetadata("req_total", Type.COUNTER, "Requests served.", "")));
    ActiveTarget up = new ActiveTarget(Map.of("__address__", "a:1", "job", "api"),
        Map.of("job", "api", "instance", "a:1"), "api", "http://a:1/metrics",
        "http://a:1/metrics", "", Instant.parse("2026-12-06T03:00:00.5Z"), 0.25, "up",
        Duration.ofSeconds(15), Duration.ofSeconds(10));
    ActiveTarget fresh = new ActiveTarget(Map.of(), Map.of("job", "db", "instance", "b:2"), "db",
        "http://b:2/metrics", "http://b:2/metrics", "", null, 0, "unknown",
        Duration.ofMinutes(1), Duration.ofSeconds(10));
    server = Server.builder().http(0).service(PrometheusApi.of(store,
        PromqlEngine.of(store, EngineOptions.defaults()), () -> List.of(fresh, up)).service())
        .build();
    server.start().join();
    client = WebClient.of("http://127.0.0.1:" + server.activeLocalPort());
  }

  @AfterAll
  static void stop() {
    server.stop().join();
    store.close();
  }

  private static String get(String path) {
    AggregatedHttpResponse r = client.get(path).aggregate().join();
    assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(200);
    return r.contentUtf8();
  }

  @Test
  void metadata_prometheusShapeAndParameters() {
    assertThat(get("/api/v1/metadata?metric=latency_seconds")).isEqualTo(
        "{\"status\":\"success\",\"data\":{\"latency_seconds\":[{\"type\":\"histogram\","
            + "\"help\":\"Latency.\",\"unit\":\"seconds\"}]}}");
    assertThat(get("/api/v1/metadata")).contains("\"latency_seconds\":[", "\"req_total\":[");
    assertThat(get("/api/v1/metadata?limit=1")).doesNotContain("req_total");
    assertThat(get("/api/v1/metadata?limit=0")).isEqualTo(
        "{\"status\":\"success\",\"data\":{}}");
    assertThat(get("/api/v1/metadata?metric=req_total&limit_per_metric=1"))
        .containsOnlyOnce("\"type\"");
    assertThat(get("/api/v1/metadata?metric=req_total")).contains("Requests.",
        "Requests served.");
    AggregatedHttpResponse bad = client.get("/api/v1/metadata?limit=x").aggregate().join();
    assertThat(bad.status().code()).isEqualTo(400);
    assertThat(bad.contentUtf8()).contains("\"errorType\":\"bad_data\"",
        "\"error\":\"limit must be a number\"");
  }

  @Test
  void targets_prometheusShapeSortedByPool() {
    String all = get("/api/v1/targets");
    assertThat(all).startsWith("{\"status\":\"success\",\"data\":{\"activeTargets\":[{"
        + "\"discoveredLabels\":{\"__address__\":\"a:1\",\"job\":\"api\"},\"labels\":"
        + "{\"instance\":\"a:1\",\"job\":\"api\"},\"scrapePool\":\"api\",\"scrapeUrl\":"
        + "\"http://a:1/metrics\",\"globalUrl\":\"http://a:1/metrics\",\"lastError\":\"\","
        + "\"lastScrape\":\"2026-12-06T03:00:00.500Z\",\"lastScrapeDuration\":0.25,"
        + "\"health\":\"up\",\"scrapeInterval\":\"15s\",\"scrapeTimeout\":\"10s\"},{");
    assertThat(all).contains("\"lastScrape\":\"0001-01-01T00:00:00Z\"", "\"health\":\"unknown\"",
        "\"scrapeInterval\":\"1m\"").endsWith("],\"droppedTargets\":[]}}");
    assertThat(get("/api/v1/targets?scrapePool=db")).doesNotContain("\"api\"");
    assertThat(get("/api/v1/targets?state=dropped")).isEqualTo(
        "{\"status\":\"success\",\"data\":{\"activeTargets\":[],\"droppedTargets\":[]}}");
  }
}
