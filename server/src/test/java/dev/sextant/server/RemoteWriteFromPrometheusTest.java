package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sextant.collector.scrape.ScrapeConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Prometheus 2.42 (Debian's {@code prometheus}) scrapes a small app and remote-writes
 * to a real Sextant server: the same PromQL, instant and range, answers the same on
 * Prometheus's API and on Sextant's; the metric metadata Prometheus sends is Sextant's
 * {@code /api/v1/metadata}; and Sextant's own scrape of the app shows in its
 * {@code /api/v1/targets}, field for field in Prometheus's shape.
 */
class RemoteWriteFromPrometheusTest {
  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final List<String> INSTANT_QUERIES = List.of(
      "demo_requests_total{job=\"app\"}[20s]", // the raw samples themselves
      "demo_requests_total{job=\"app\"}",
      "sum by (path) (rate(demo_requests_total{job=\"app\"}[10s]))",
      "histogram_quantile(0.9, sum by (le) (rate(demo_latency_seconds_bucket{job=\"app\"}[10s])))",
      "avg_over_time(demo_queue_depth{job=\"app\"}[15s])",
      "up{job=\"app\"}");
  /**
   * Range queries over a counter's raw values, not {@code rate}: Sextant's engine follows
   * Prometheus 3.x, whose range selectors are left-open ({@code (t-5s, t]}), while 2.42's are
   * closed ({@code [t-5s, t]}). On 1 s scrapes and step times that land on sample timestamps, 2.42
   * counts one sample more, so a short-window {@code rate} extrapolates differently (seen: 1.08
   * against 1.38 for {@code rate(demo_requests_total[5s])} at step 2s, on identical raw samples).
   * Instant queries at times between samples see the same samples on both and are compared above.
   */
  private static final List<String> RANGE_QUERIES = List.of(
      "sum by (path) (demo_requests_total{job=\"app\"})",
      "histogram_quantile(0.5, sum by (le) (demo_latency_seconds_bucket{job=\"app\"}))",
      "max(demo_queue_depth{job=\"app\"})");

  @TempDir
  Path dir;

  @Test
  void prometheusRemoteWrite_sameAnswersMetadataAndTargets() throws Exception {
    assumeTrue(Files.isExecutable(PROMETHEUS), "needs Prometheus 2.42 at " + PROMETHEUS
        + " (Debian package prometheus; bin/test installs it)");
    HttpServer app = app();
    String target = "127.0.0.1:" + app.getAddress().getPort();
    Process prometheus = null;
    try (SextantServer sextant = SextantServer.builder().dataDir(dir.resolve("sextant"))
        .bindAddress("127.0.0.1").grpcPort(0).otlpHttpPort(0).httpPort(0)
        .retention(TestStorage.KEEP_ALL)
        .scrapeConfigs(List.of(new ScrapeConfig("direct", List.of(target), Duration.ofSeconds(1),
            Duration.ofSeconds(1), "/other", "http")))
        .build()) {
      sextant.start();
      int promPort = freePort();
      prometheus = startPrometheus(promPort, target, sextant.otlpHttpPort());
      // Enough scrapes for the windows below.
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() ->
          scalar(promPort, "count_over_time(up{job=\"app\"}[1h])", now()) >= 20);
      long t = now() - 3000;
      String all = "sum(count_over_time(demo_requests_total{job=\"app\"}[1h]))"
          + " + sum(count_over_time(demo_latency_seconds_bucket{job=\"app\"}[1h]))"
          + " + sum(count_over_time(demo_queue_depth{job=\"app\"}[1h]))"
          + " + sum(count_over_time(up{job=\"app\"}[1h]))";
      double expected = scalar(promPort, all, t);
      // Sextant has every sample up to t once it counts as many (remote write is batched).
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(
          () -> assertThat(scalar(sextant.httpPort(), all, t)).isEqualTo(expected));

      for (String q : INSTANT_QUERIES) {
        String path = "/api/v1/query?query=" + enc(q) + "&time=" + seconds(t);
        assertSameResult(q, api(promPort, path), api(sextant.httpPort(), path));
      }
      for (String q : RANGE_QUERIES) {
        String path = "/api/v1/query_range?query=" + enc(q) + "&start=" + seconds(t - 15_000)
            + "&end=" + seconds(t) + "&step=2";
        assertSameResult(q, api(promPort, path), api(sextant.httpPort(), path));
      }

      // Metadata: what Prometheus read from the app's # TYPE/# HELP, sent in remote write.
      String metadata = "/api/v1/metadata?metric=demo_requests_total";
      JsonNode promMetadata = api(promPort, metadata);
      assertThat(promMetadata.get("demo_requests_total").get(0).get("type").asText())
          .isEqualTo("counter");
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(api(sextant.httpPort(), metadata)).isEqualTo(promMetadata));
      // ... and what Sextant's own scrape read.
      JsonNode direct = api(sextant.httpPort(), "/api/v1/metadata?metric=direct_only_total");
      assertThat(direct.toString()).isEqualTo(
          "{\"direct_only_total\":[{\"type\":\"counter\",\"help\":\"Direct.\",\"unit\":\"\"}]}");

      // Targets: Sextant's scrape of the app, with every field Prometheus's targets have.
      JsonNode promTarget = api(promPort, "/api/v1/targets").get("activeTargets").get(0);
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        JsonNode targets = api(sextant.httpPort(), "/api/v1/targets");
        assertThat(targets.get("droppedTargets")).isEmpty();
        JsonNode ours = targets.get("activeTargets").get(0);
        assertThat(names(ours)).isEqualTo(names(promTarget));
        assertThat(names(ours.get("discoveredLabels")))
            .containsAll(names(promTarget.get("discoveredLabels")));
        assertThat(ours.get("health").asText()).isEqualTo("up");
        assertThat(ours.get("labels").toString())
            .isEqualTo("{\"instance\":\"" + target + "\",\"job\":\"direct\"}");
        assertThat(ours.get("scrapeUrl").asText()).isEqualTo("http://" + target + "/other");
        assertThat(ours.get("lastError").asText()).isEmpty();
        assertThat(ours.get("scrapeInterval").asText()).isEqualTo("1s");
      });
    } finally {
      if (prometheus != null) {
        prometheus.destroy();
        if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
          prometheus.destroyForcibly();
        }
      }
      app.stop(0);
    }
  }

  /**
   * Counters that grow by uneven steps each time they are read, a gauge that moves, a histogram;
   * and on {@code /other} a counter only Sextant scrapes.
   */
  private static HttpServer app() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    AtomicLong scrapes = new AtomicLong();
    server.createContext("/metrics", exchange -> {
      long n = scrapes.incrementAndGet();
      long a = n * (n % 7 + 1);
      long b = 3 * n;
      long fast = n * 4;
      long slow = n;
      String body = "# HELP demo_requests_total Requests handled.\n"
          + "# TYPE demo_requests_total counter\n"
          + "demo_requests_total{path=\"/a\"} " + a + "\n"
          + "demo_requests_total{path=\"/b\"} " + b + "\n"
          + "# HELP demo_queue_depth Items waiting.\n"
          + "# TYPE demo_queue_depth gauge\n"
          + "demo_queue_depth " + (n % 5) + ".5\n"
          + "# HELP demo_latency_seconds Latency.\n"
          + "# TYPE demo_latency_seconds histogram\n"
          + "demo_latency_seconds_bucket{le=\"0.1\"} " + fast + "\n"
          + "demo_latency_seconds_bucket{le=\"1\"} " + (fast + slow) + "\n"
          + "demo_latency_seconds_bucket{le=\"+Inf\"} " + (fast + 2 * slow) + "\n"
          + "demo_latency_seconds_sum " + (n * 3.25) + "\n"
          + "demo_latency_seconds_count " + (fast + 2 * slow) + "\n";
      send(exchange, body);
    });
    server.createContext("/other", exchange -> send(exchange,
        "# HELP direct_only_total Direct.\n# TYPE direct_only_total counter\n"
            + "direct_only_total " + scrapes.get() + "\n"));
    server.start();
    return server;
  }

  private static void send(HttpExchange exchange, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private Process startPrometheus(int port, String target, int sextantOtlpPort)
      throws IOException {
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
          evaluation_interval: 1s
        scrape_configs:
          - job_name: app
            static_configs:
              - targets: ['%s']
        remote_write:
          - url: http://127.0.0.1:%d/api/v1/write
            queue_config:
              batch_send_deadline: 1s
              min_backoff: 100ms
              max_backoff: 1s
              retry_on_http_429: true
            metadata_config:
              send: true
              send_interval: 1s
        """.formatted(target, sextantOtlpPort));
    Process p = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("prometheus-data"),
        "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile())
        .start();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
      if (!p.isAlive()) {
        throw new IllegalStateException("prometheus exited: "
            + Files.readString(dir.resolve("prometheus.log")));
      }
      try {
        return TestClient.get(port, "/-/ready").status() == 200;
      } catch (RuntimeException e) {
        return false; // not listening yet
      }
    });
    return p;
  }

  /** The {@code data} of a successful API answer. */
  private static JsonNode api(int port, String path) {
    TestClient.Response r = TestClient.get(port, path);
    assertThat(r.status()).as("%s on :%d: %s", path, port, r.body()).isEqualTo(200);
    return r.json().get("data");
  }

  private static double scalar(int port, String query, long timeMillis) {
    JsonNode result = api(port, "/api/v1/query?query=" + enc(query) + "&time="
        + seconds(timeMillis)).get("result");
    return result.isEmpty() ? Double.NaN : result.get(0).get("value").get(1).asDouble();
  }

  /** Same series (by labels), same timestamps, values within 1e-9 relative. */
  private static void assertSameResult(String query, JsonNode prometheus, JsonNode sextant) {
    assertThat(sextant.get("resultType").asText()).as(query)
        .isEqualTo(prometheus.get("resultType").asText());
    TreeMap<String, JsonNode> expected = bySeries(prometheus.get("result"));
    TreeMap<String, JsonNode> actual = bySeries(sextant.get("result"));
    assertThat(expected).as(query).isNotEmpty();
    assertThat(actual.keySet()).as(query).isEqualTo(expected.keySet());
    for (String series : expected.keySet()) {
      List<JsonNode> want = points(expected.get(series));
      List<JsonNode> got = points(actual.get(series));
      assertThat(got).as("%s %s", query, series).hasSameSizeAs(want);
      for (int i = 0; i < want.size(); i++) {
        assertThat(got.get(i).get(0).asDouble()).as("%s %s time", query, series)
            .isEqualTo(want.get(i).get(0).asDouble());
        double w = want.get(i).get(1).asDouble();
        double g = got.get(i).get(1).asDouble();
        assertThat(Math.abs(g - w)).as("%s %s at %s: %s vs Prometheus %s", query, series,
            want.get(i).get(0), g, w).isLessThanOrEqualTo(1e-9 * Math.max(1, Math.abs(w)));
      }
    }
  }

  private static TreeMap<String, JsonNode> bySeries(JsonNode result) {
    TreeMap<String, JsonNode> out = new TreeMap<>();
    for (JsonNode s : result) {
      out.put(new TreeMap<>(toMap(s.get("metric"))).toString(), s);
    }
    return out;
  }

  private static List<JsonNode> points(JsonNode series) {
    List<JsonNode> out = new ArrayList<>();
    if (series.has("value")) {
      out.add(series.get("value"));
    } else {
      series.get("values").forEach(out::add);
    }
    return out;
  }

  private static TreeMap<String, String> toMap(JsonNode labels) {
    TreeMap<String, String> m = new TreeMap<>();
    labels.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
    return m;
  }

  private static List<String> names(JsonNode object) {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    out.sort(null);
    return out;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static long now() {
    return System.currentTimeMillis();
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
