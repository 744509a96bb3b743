package dev.sextant.collector.scrape;

import dev.sextant.storage.embedded.EmbeddedMetricStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.Server;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.MetricStore;
import dev.sextant.storage.metrics.SampleIterator;
import dev.sextant.storage.metrics.Series;
import dev.sextant.storage.metrics.StaleMarker;
import dev.sextant.storage.metrics.TimeSeries;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prometheus's scrape limits against real targets: an Armeria server on a loopback ephemeral
 * port, scraped into a real metric store.
 */
class ScrapeLimitsTest {
  private static final String LINE = "filler_metric{i=\"%d\"} 1\n";

  @TempDir
  Path dir;

  private Server server;
  private final AtomicReference<String> body = new AtomicReference<>("ok 1\n");

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop().join();
    }
  }

  @Test
  void bodyOverTheLimit_failsTheScrapeWithUpZeroAndTheReason() {
    String target = start();
    long limit = 64 * 1024;
    ScrapeConfig config = config(target).withLimits(limit, 0, 0, 0, 0);
    try (MetricStore store = EmbeddedMetricStore.open(dir);
         Scraper scraper = Scraper.start(List.of(config), store)) {
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        assertThat(last(store, "up")).isEqualTo(1.0);
        assertThat(last(store, "ok")).isEqualTo(1.0);
      });

      body.set("ok 1\n" + "x".repeat(0) + lines(20_000)); // ~500 KB with Content-Length
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        assertThat(last(store, "up")).isEqualTo(0.0);
        assertThat(scraper.lastErrors()).containsEntry("limits/" + target,
            "body size limit exceeded (body_size_limit: 65536 bytes)");
      });
      // The failed scrape stored nothing of the body and marked the target's series stale.
      assertThat(store.select(List.of(LabelMatcher.eq(Labels.NAME, "filler_metric")), 0,
          Long.MAX_VALUE)).isEmpty();
      assertThat(StaleMarker.isStale(last(store, "ok"))).isTrue();
    }
  }

  @Test
  void streamedBodyWithoutLengthOverTheLimit_isCutOffAndFailsTheScrape() {
    String target = start();
    try (MetricStore store = EmbeddedMetricStore.open(dir);
         Scraper scraper = Scraper.start(List.of(config(target)
             .withLimits(64 * 1024, 0, 0, 0, 0)), store)) {
      body.set("stream"); // the endless chunked body below
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        assertThat(last(store, "up")).isEqualTo(0.0);
        assertThat(scraper.lastErrors().get("limits/" + target))
            .isEqualTo("body size limit exceeded (body_size_limit: 65536 bytes)");
      });
    }
  }

  @Test
  void sampleLimit_failsTheWholeScrape() {
    String target = start();
    body.set(lines(20));
    try (MetricStore store = EmbeddedMetricStore.open(dir);
         Scraper scraper = Scraper.start(List.of(config(target)
             .withLimits(ScrapeConfig.DEFAULT_BODY_SIZE_LIMIT, 10, 0, 0, 0)), store)) {
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        assertThat(last(store, "up")).isEqualTo(0.0);
        assertThat(scraper.lastErrors().get("limits/" + target))
            .isEqualTo("sample limit exceeded (sample_limit: 10)");
      });
      assertThat(store.select(List.of(LabelMatcher.eq(Labels.NAME, "filler_metric")), 0,
          Long.MAX_VALUE)).isEmpty();

      body.set(lines(10)); // at the limit: accepted
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
        assertThat(last(store, "up")).isEqualTo(1.0);
        assertThat(store.select(List.of(LabelMatcher.eq(Labels.NAME, "filler_metric")), 0,
            Long.MAX_VALUE)).hasSize(10);
      });
      assertThat(scraper.lastErrors().get("limits/" + target)).isEmpty();
    }
  }

  @Test
  void labelLimits_failTheScrapeWithPrometheusMessages() {
    ScrapeConfig base = ScrapeConfig.of("j", List.of("h:1"));
    ScrapeLoop labels = ScrapeLoop.of(base.withLimits(1024, 0, 4, 0, 0), "h:1");
    assertThat(scrape(labels, "m{a=\"1\"} 1\n")).isNotEmpty(); // __name__, a, job, instance
    assertThatThrownBy(() -> scrape(labels, "m{a=\"1\",b=\"2\"} 1\n"))
        .isInstanceOf(ScrapeLoop.LimitExceededException.class)
        .hasMessage("label_limit exceeded (metric: m, number of labels: 5, limit: 4)");

    ScrapeLoop names = ScrapeLoop.of(base.withLimits(1024, 0, 0, 8, 0), "h:1");
    assertThatThrownBy(() -> scrape(names, "m{long_label_name=\"1\"} 1\n"))
        .hasMessage("label_name_length_limit exceeded (metric: m, label name: long_label_name,"
            + " length: 15, limit: 8)");

    ScrapeLoop values = ScrapeLoop.of(base.withLimits(1024, 0, 0, 0, 100), "h:1");
    String huge = "v".repeat(100_000);
    assertThatThrownBy(() -> scrape(values, "m{a=\"" + huge + "\"} 1\n"))
        .hasMessage("label_value_length_limit exceeded (metric: m, label name: a, value: \""
            + "v".repeat(50) + "\", length: 100000, limit: 100)");
    // After a failure the loop starts afresh; a good body scrapes.
    assertThat(values.failed(3000, 0)).isNotEmpty();
    assertThat(scrape(values, "m{a=\"short\"} 1\n")).hasSize(4);
  }

  @Test
  void config_rejectsUnboundedOrNegativeLimits() {
    ScrapeConfig c = ScrapeConfig.of("j", List.of("h:1"));
    assertThat(c.bodySizeLimit()).isEqualTo(64L << 20);
    assertThatThrownBy(() -> c.withLimits(0, 0, 0, 0, 0))
        .hasMessageStartingWith("body_size_limit: 0 (expected: 1..1073741824 bytes");
    assertThatThrownBy(() -> c.withLimits(1024, -1, 0, 0, 0))
        .hasMessage("sample_limit: -1 (expected: >= 0, 0 = no limit)");
  }

  private static List<TimeSeries> scrape(ScrapeLoop loop, String text) {
    try {
      return loop.scraped(text.getBytes(StandardCharsets.UTF_8), false, 1000, 0.1);
    } catch (TextFormatParser.ParseException e) {
      throw new AssertionError(e);
    }
  }

  private String start() {
    server = Server.builder().http(new InetSocketAddress("127.0.0.1", 0))
        .service("/metrics", (ctx, req) -> {
          String b = body.get();
          if (!b.equals("stream")) {
            return HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, b);
          }
          // No Content-Length: 16 KiB chunks until the client goes away (or 64 MiB).
          var writer = HttpResponse.streaming();
          writer.write(ResponseHeaders.of(HttpStatus.OK, "content-type", "text/plain"));
          byte[] chunk = lines(800).getBytes(StandardCharsets.UTF_8);
          writeChunks(writer, chunk, 4096);
          return writer;
        }).build();
    server.start().join();
    return "127.0.0.1:" + server.activeLocalPort();
  }

  private static void writeChunks(HttpResponseWriter w, byte[] chunk,
      int left) {
    if (left == 0 || !w.isOpen()) {
      w.close();
      return;
    }
    w.write(HttpData.wrap(chunk));
    w.whenConsumed().thenRun(() -> writeChunks(w, chunk, left - 1));
  }

  private static ScrapeConfig config(String target) {
    return new ScrapeConfig("limits", List.of(target), Duration.ofMillis(200),
        Duration.ofMillis(200), "/metrics", "http");
  }

  private static String lines(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(String.format(LINE, i));
    }
    return sb.toString();
  }

  private static double last(MetricStore store, String name) {
    List<Series> all = store.select(List.of(LabelMatcher.eq(Labels.NAME, name)), 0,
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
