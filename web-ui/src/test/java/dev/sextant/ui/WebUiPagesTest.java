package dev.sextant.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
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
    assertThat(res.contentUtf8()).contains("minDuration: &#39;fast&#39; (expected: a duration");
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
  void services_listsEveryServiceWithFourSignals() {
    String html = get("/ui/services").contentUtf8();
    assertThat(html).contains("checkout", "payments", "fraud", "gateway", "data-chart=",
        "data-signal=\"saturation\"", "/ui/services/checkout?range&#61;1h");
    assertThat(get("/ui/services?range=forever").status().code()).isEqualTo(400);
  }

  @Test
  void servicePage_chartsTopOperationsAndTraces() {
    String html = get("/ui/services/payments?range=1h").contentUtf8();
    assertThat(html).contains("signal-latency", "signal-traffic", "signal-errors",
        "Charge", "/ui/search?service&#61;payments&amp;order&#61;duration",
        "/ui/search?service&#61;payments&amp;errors&#61;on", "/ui/traces/" + UiFixture.TRACE);
    html = get("/ui/services/checkout?range=15m&operation=PlaceOrder").contentUtf8();
    assertThat(html).contains("saturation-cpu", "span_name&#61;&quot;PlaceOrder");
  }

  @Test
  void map_drawsEdgesWithCallsAndErrors() {
    String html = get("/ui/map?lookback=all").contentUtf8();
    assertThat(html).contains("<svg", "data-caller=\"checkout\" data-callee=\"payments\"",
        "err-high", "href=\"/ui/services/payments?range&#61;7d\"");
  }

  @Test
  void metrics_graphTableAndErrors() {
    String q = "/ui/metrics?expr=" + URLEncoder.encode(
        "sum by (service_name) (rate(traces_span_metrics_calls_total[5m]))",
        StandardCharsets.UTF_8);
    assertThat(get(q + "&range=1h&tab=graph").contentUtf8()).contains("data-chart=", "3 series");
    assertThat(get(q + "&tab=table").contentUtf8()).contains("result-row",
        "{service_name&#61;&quot;payments&quot;}");
    String err = get("/ui/metrics?expr=rate(up%5B5m%5D").contentUtf8();
    assertThat(err).contains("parse error", "id=\"expr-error\"").doesNotContain("hidden>");
    assertThat(get("/ui/metrics/check?expr=up%7B").contentUtf8()).contains("\"ok\":false",
        "\"column\":");
    assertThat(get(q + "&step=1ms&range=7d").contentUtf8()).contains("step: 1ms (expected");
  }

  @Test
  void prometheusUiLinks_redirectToThePages() {
    AggregatedHttpResponse res = get("/graph?g0.expr=up%20%3E%201&g0.tab=1");
    assertThat(res.status().code()).isEqualTo(307);
    assertThat(res.headers().get("location"))
        .isEqualTo("/ui/metrics?expr=up+%3E+1&range=1h&tab=table");
    res = get("/alerts?group=%7B%7D%3A%7Balertname%3D%22X%22%7D");
    assertThat(res.headers().get("location"))
        .isEqualTo("/ui/alerts?group=%7B%7D%3A%7Balertname%3D%22X%22%7D");
  }

  @Test
  void alerts_showRulesAlertsEvidenceAndHistory() {
    String html = get("/ui/alerts").contentUtf8();
    assertThat(html).contains("PaymentsFailing", "payments is failing",
        "https://wiki.example/playbooks/payments", "href=\"/ui/traces/" + UiFixture.TRACE,
        "CheckoutSlow", "state-pending", "service:calls:rate5m", "delivered");
    // Findings link to their view in this UI, whatever host name the provider used.
    assertThat(html.replace("&#61;", "=").replace("&amp;", "&")).contains("<a class=\""
        + "evidence-finding\" href=\"/ui/compare?service=payments&operation=&selection=error"
        + "&lookback=1h\">80 % of failing traces have payment.provider=acme, 3 % of the "
        + "others</a>");
    // The group a notification links to shows only that group's alerts.
    String group = "{}:{alertname=\"CheckoutSlow\"}";
    html = get("/ui/alerts?group=" + URLEncoder.encode(group,
        StandardCharsets.UTF_8)).contentUtf8();
    assertThat(html).contains("group-banner", "data-alertname=\"CheckoutSlow\"")
        .doesNotContain("data-alertname=\"PaymentsFailing\"");
    assertThat(get("/ui/alerts?state=gone").status().code()).isEqualTo(400);
  }

  @Test
  void silenceForm_createsRejectsAndExpires() {
    AggregatedHttpResponse res = post("/ui/alerts/silences",
        "matchers=alertname%3D%22CheckoutSlow%22&duration=1h&createdBy=test&comment=deploy");
    assertThat(res.status().code()).isEqualTo(303);
    String id = res.headers().get("location").replaceAll(".*created=([^#&]+).*", "$1");
    assertThat(get("/ui/alerts").contentUtf8()).contains("data-silence-id=\"" + id + "\"",
        "deploy");
    res = post("/ui/alerts/silences", "matchers=alertname%3D&duration=5s");
    assertThat(res.headers().get("location")).contains("error=duration").contains("#new-silence");
    res = post("/ui/alerts/silences/" + id + "/expire", "");
    assertThat(res.headers().get("location")).contains("expired=" + id);
    assertThat(fixture.alerts.engine.silences().list().stream()
        .filter(s -> s.id().equals(id)).findFirst().orElseThrow().state(Instant.now()))
        .isEqualTo("expired");
    // A form posted from another site is refused.
    res = client.execute(RequestHeaders.builder(
        HttpMethod.POST, "/ui/alerts/silences")
        .add("origin", "https://evil.example").contentType(
            MediaType.FORM_DATA).build(),
        "matchers=alertname%3D%22X%22").aggregate().join();
    assertThat(res.status().code()).isEqualTo(403);
  }

  private static AggregatedHttpResponse post(String path, String form) {
    return client.execute(RequestHeaders.builder(
        HttpMethod.POST, path)
        .contentType(MediaType.FORM_DATA).build(), form)
        .aggregate().join();
  }

  @Test
  void assets_areServedFromTheClasspathAndWebjar() {
    assertThat(get("/static/sextant.css").status().code()).isEqualTo(200);
    assertThat(get("/static/waterfall.js").status().code()).isEqualTo(200);
    assertThat(get("/static/uplot/1.6.30/dist/uPlot.iife.min.js").status().code()).isEqualTo(200);
    assertThat(get("/static/nothing.js").status().code()).isEqualTo(404);
    assertThat(get("/static/charts.js").status().code()).isEqualTo(200);
    assertThat(get("/ui/metrics").status().code()).isEqualTo(200);
    assertThat(get("/ui/alerts").status().code()).isEqualTo(200);
  }

  @Test
  void builder_withoutStorage_fails() {
    assertThatThrownBy(() -> WebUi.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("storage");
  }
}
