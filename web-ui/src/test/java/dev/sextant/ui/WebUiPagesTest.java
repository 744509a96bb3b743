package dev.sextant.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every page over plain HTTP against real storage: what a browser-less CI can still check. */
class WebUiPagesTest {
  @TempDir static Path dir;
  static UiFixture fixture;
  static WebClient client;

  @BeforeAll
  static void start() throws Exception {
    fixture = new UiFixture(dir);
    client = WebClient.of(fixture.baseUrl());
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static AggregatedHttpResponse get(String path) {
    return client.get(path).aggregate().join();
  }

  @Test
  void root_redirectsToSearch() {
    AggregatedHttpResponse res = get("/");
    assertThat(res.status().code()).isEqualTo(307);
    assertThat(res.headers().get("location")).isEqualTo("/ui/search");
  }

  @Test
  void search_listsTracesWithErrorsAndServices() {
    String html = get("/ui/search?lookback=1h").contentUtf8();
    assertThat(html).contains("/ui/traces/" + UiFixture.TRACE, "GET /checkout", "9 spans",
        "1 error(s)", "payments", "fraud", "/ui/traces/" + UiFixture.BIG_TRACE, "10000 spans");
  }

  @Test
  void search_filtersByServiceErrorsAndAttributes() {
    String html = get("/ui/search?service=payments&errors=on&attrs=&lookback=all")
        .contentUtf8();
    assertThat(html).contains(UiFixture.TRACE).doesNotContain(UiFixture.OTHER_TRACE);
    html = get("/ui/search?attrs=db.system%3Dpostgresql&minDuration=1ms&maxDuration=1s")
        .contentUtf8();
    assertThat(html).contains(UiFixture.TRACE).doesNotContain(UiFixture.BIG_TRACE);
  }

  @Test
  void search_badDuration_namesTheField() {
    AggregatedHttpResponse res = get("/ui/search?minDuration=fast");
    assertThat(res.status().code()).isEqualTo(400);
    assertThat(res.contentUtf8()).contains("minDuration: fast (expected: a duration");
  }

  @Test
  void trace_rendersShellAndTraceLogs() {
    String html = get("/ui/traces/" + UiFixture.TRACE).contentUtf8();
    assertThat(html).contains("data-trace-id=\"" + UiFixture.TRACE + "\"", "/static/waterfall.js",
        "card declined by issuer", "/api/traces/" + UiFixture.TRACE);
    assertThat(get("/ui/traces/nothex").status().code()).isEqualTo(400);
  }

  @Test
  void spanLogs_returnsOnlyThatSpansLines() {
    String html = get("/ui/traces/" + UiFixture.TRACE + "/logs?spanId=" + UiFixture.PLACE_ORDER)
        .contentUtf8();
    assertThat(html).contains("placing order 4711", "inventory reserved")
        .doesNotContain("card declined");
  }

  @Test
  void logs_filtersByCorrelationIdAndSeverity() {
    String html = get("/ui/logs?correlationId=order-4711&lookback=all").contentUtf8();
    assertThat(html).contains("session cache warmed", "card declined", "4 line(s)")
        .doesNotContain("slow upstream");
    assertThat(html).contains("id=\"correlated-traces\"", "/ui/traces/" + UiFixture.TRACE);
    html = get("/ui/logs?severity=13&lookback=all").contentUtf8();
    assertThat(html).contains("card declined", "slow upstream").doesNotContain("placing order");
    assertThat(get("/ui/logs?traceId=xyz").status().code()).isEqualTo(400);
  }

  @Test
  void services_listsEveryService() {
    String html = get("/ui/services").contentUtf8();
    assertThat(html).contains("checkout", "payments", "fraud", "gateway", "data-series=");
  }

  @Test
  void assets_areServedFromTheClasspathAndWebjar() {
    assertThat(get("/static/sextant.css").status().code()).isEqualTo(200);
    assertThat(get("/static/waterfall.js").status().code()).isEqualTo(200);
    assertThat(get("/static/uplot/1.6.30/dist/uPlot.iife.min.js").status().code()).isEqualTo(200);
    assertThat(get("/static/nothing.js").status().code()).isEqualTo(404);
    assertThat(get("/ui/metrics").status().code()).isEqualTo(200);
    assertThat(get("/ui/alerts").status().code()).isEqualTo(200);
  }

  @Test
  void builder_withoutStorage_fails() {
    assertThatThrownBy(() -> WebUi.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("storage");
  }
}
