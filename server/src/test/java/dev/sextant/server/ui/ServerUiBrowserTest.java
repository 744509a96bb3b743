package dev.sextant.server.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.sextant.server.SextantServer;
import dev.sextant.ui.testing.Browser;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The whole UI of a real Sextant server, in Debian's headless Chromium, over data the real
 * OpenTelemetry SDK sent ({@link ShopTelemetry}): every page loads with that data and without a
 * browser console error; search → trace → span → its logs → correlation ID by clicks; the metrics
 * explorer's graph and an inline parse error; the alerts page with an alert fired by a real rule
 * from the SDK's metrics, a silence created by clicks, and the group link a notification carries.
 * Screenshots go to {@code target/screenshots/server-*.png}.
 */
class ServerUiBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RULES = """
      groups:
        - name: shop
          interval: 1s
          rules:
            - alert: QueueBacklog
              expr: queue_depth > 5
              for: 1s
              labels:
                severity: critical
              annotations:
                summary: "Queue backlog on {{ $labels.job }}"
                description: "depth is {{ $value }}"
                playbook: "https://wiki.example/playbooks/queue-backlog"
            - alert: PaymentsFailing
              expr: sum by (service_name) (rate(traces_span_metrics_errors_total[1m])) > 0
              for: 1h
              labels:
                severity: warning
      """;

  @TempDir static Path dir;
  static HttpServer webhook;
  static final List<JsonNode> notifications = new CopyOnWriteArrayList<>();
  static SextantServer server;
  static ShopTelemetry shop;
  static Browser browser;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Browser.available(), Browser.MISSING);
    webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    webhook.createContext("/hook", ex -> {
      notifications.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    webhook.start();
    Path rules = Files.writeString(dir.resolve("rules.yml"), RULES);
    server = SextantServer.builder().dataDir(dir.resolve("data")).bindAddress("127.0.0.1")
        .enableAdminApi(true) // the silence form
        .grpcPort(0).otlpHttpPort(0).httpPort(0).spanMetricsInterval(Duration.ofMillis(300))
        .evaluationInterval(Duration.ofSeconds(1)).ruleFiles(List.of(rules.toString()))
        .notifierConfig("""
            route:
              receiver: oncall
              group_by: [alertname, job]
              group_wait: 1s
              group_interval: 1s
            receivers:
              - name: oncall
                webhook_configs:
                  - url: http://127.0.0.1:%d/hook
            """.formatted(webhook.getAddress().getPort()))
        .build();
    server.start();
    shop = new ShopTelemetry(server.grpcPort(), server.otlpHttpPort());
    shop.sendOrders(16, 4, Duration.ofMillis(1500));
    String failed = failedOrder().traceId();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(get("/api/search?service=payments&error=true")).contains(failed);
      assertThat(get("/api/logs?correlationId=" + failedOrder().correlationId()))
          .contains("card declined");
      assertThat(get("/api/v1/alerts")).contains("QueueBacklog", "\"state\":\"firing\"");
      assertThat(notifications).isNotEmpty();
      assertThat(get("/api/v1/query?query=" + URLEncoder.encode(
          "sum(rate(traces_span_metrics_calls_total[1m]))", StandardCharsets.UTF_8)))
          .contains("\"result\":[{");
    });
    browser = new Browser("http://127.0.0.1:" + server.httpPort(), dir.resolve("chrome"));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (shop != null) {
      shop.close();
    }
    if (server != null) {
      server.close();
    }
    if (webhook != null) {
      webhook.stop(0);
    }
  }

  private static ShopTelemetry.Order failedOrder() {
    return shop.orders.stream().filter(ShopTelemetry.Order::failed).reduce((a, b) -> b)
        .orElseThrow();
  }

  @Test
  void searchTraceSpanLogsCorrelation_byClicks() {
    ShopTelemetry.Order order = failedOrder();
    browser.open("/");
    browser.click(By.id("errors"));
    browser.click(By.id("search-button"));
    browser.await().until(ExpectedConditions.urlContains("errors=on"));
    assertThat(browser.text(By.id("results"))).contains("GET /checkout", "5 spans", "payments");
    screenshot("search");
    browser.click(By.cssSelector("a.trace-link[href='/ui/traces/" + order.traceId() + "']"));
    awaitWaterfall();
    assertThat(browser.text(By.id("trace-meta"))).contains("5 spans", "1 error(s)");
    screenshot("trace");
    browser.click(By.cssSelector(".row[data-span-id='" + order.placeOrderSpanId() + "'] .name"));
    browser.await().until(ExpectedConditions.textToBePresentInElementLocated(By.id("span-logs"),
        "placing " + order.correlationId()));
    assertThat(browser.text(By.id("span-panel"))).contains("PlaceOrder", "checkout-1");
    screenshot("trace-span");
    browser.click(By.cssSelector("#span-panel a.span-correlation"));
    browser.await().until(ExpectedConditions.urlContains("correlationId=" + order.correlationId()));
    assertThat(browser.text(By.id("logs"))).contains("placing " + order.correlationId(),
        "card declined by issuer for " + order.correlationId());
    assertThat(browser.text(By.id("correlated-traces"))).contains("GET /checkout");
    screenshot("logs");
    browser.click(By.cssSelector("tr.sev-error a.tracelink"));
    awaitWaterfall();
    browser.await().until(ExpectedConditions.textToBePresentInElementLocated(By.id("span-name"),
        "Charge"));
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  void servicesServicePageAndMap_showTheShop() {
    browser.open("/ui/services?range=15m");
    browser.await().until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("tr[data-service='payments'] .spark canvas")));
    assertThat(browser.text(By.cssSelector("tr[data-service='payments'] .now.alarm")))
        .endsWith("%");
    screenshot("services");
    browser.click(By.cssSelector("tr[data-service='checkout'] a.service-link"));
    browser.await().until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("#signal-traffic canvas")));
    assertThat(browser.text(By.id("top-operations"))).contains("PlaceOrder");
    assertThat(browser.text(By.id("slowest-traces"))).contains("GET /checkout");
    assertThat(browser.driver().findElements(By.cssSelector("#signal-saturation-cpu canvas")))
        .isNotEmpty();
    screenshot("service");
    browser.open("/ui/map?lookback=15m");
    assertThat(browser.driver().findElement(By.cssSelector(
        ".edge[data-caller='checkout'][data-callee='payments']")).getText())
        .contains("16 calls", "25.0% err");
    assertThat(browser.driver().findElement(By.cssSelector(
        ".edge[data-caller='frontend'][data-callee='checkout']")).getAttribute("class"))
        .contains("ok");
    screenshot("map");
    browser.click(By.cssSelector("#service-map a.node[data-service='payments']"));
    browser.await().until(ExpectedConditions.urlContains("/ui/services/payments"));
    // Its failed traces, and from there the trace itself.
    assertThat(browser.text(By.id("failed-traces"))).contains("GET /checkout");
    browser.click(By.cssSelector("#failed-traces a.trace-link"));
    awaitWaterfall();
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  void metricsExplorer_graphAndInlineParseError() {
    // The query link of a notification, as Prometheus's UI spells it.
    browser.open("/graph?g0.expr=" + URLEncoder.encode("queue_depth", StandardCharsets.UTF_8)
        + "&g0.tab=0");
    browser.await().until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("#graph canvas")));
    assertThat(browser.driver().getCurrentUrl()).contains("/ui/metrics?expr=queue_depth");
    assertThat(browser.text(By.id("result-count"))).startsWith("1 series");
    screenshot("metrics");
    browser.driver().findElement(By.id("expr")).clear();
    browser.driver().findElement(By.id("expr")).sendKeys("rate(queue_depth[5m]");
    browser.await().until(ExpectedConditions.visibilityOfElementLocated(By.id("expr-error")));
    assertThat(browser.text(By.id("expr-error-message"))).containsPattern("^1:\\d+: parse error");
    screenshot("metrics-error");
    // Run anyway: the server shows the same error inline, with the caret.
    browser.click(By.id("run"));
    browser.await().until(ExpectedConditions.urlContains("expr=rate"));
    assertThat(browser.text(By.id("expr-error-caret"))).endsWith("^");
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  void alertsPage_firingAlertEvidenceSilenceAndGroupLink() {
    browser.open("/ui/alerts");
    By firing = By.cssSelector("article.alert.state-firing[data-alertname='QueueBacklog']");
    assertThat(browser.text(firing)).contains("Queue backlog on checkout", "playbook",
        "example traces");
    assertThat(browser.driver().findElements(By.cssSelector(
        "article.alert.state-firing a.evidence-trace[href^='/ui/traces/']"))).isNotEmpty();
    assertThat(browser.text(By.cssSelector("tr.rule[data-rule='QueueBacklog']")))
        .contains("firing", "ok");
    assertThat(browser.text(By.id("audit-table"))).contains("oncall", "delivered");
    screenshot("alerts");
    // The 3 a.m. look: the same page with the system in dark mode.
    browser.colorScheme("dark");
    screenshot("alerts-dark");
    browser.colorScheme("light");
    browser.click(By.cssSelector(
        "article.alert[data-alertname='QueueBacklog'] a.silence-link"));
    browser.await().until(ExpectedConditions.visibilityOfElementLocated(
        By.id("silence-matchers")));
    assertThat(browser.driver().findElement(By.id("silence-matchers")).getAttribute("value"))
        .contains("alertname=\"QueueBacklog\"", "job=\"checkout\"");
    browser.driver().findElement(By.id("silence-by")).sendKeys("on-call");
    browser.driver().findElement(By.id("silence-comment")).sendKeys("draining the queue");
    browser.click(By.id("silence-submit"));
    browser.await().until(ExpectedConditions.presenceOfElementLocated(By.id("silence-created")));
    assertThat(browser.text(By.cssSelector("tr.silence.just-created")))
        .contains("active", "on-call", "draining the queue", "mutes 1");
    assertThat(browser.text(firing)).contains("silenced");
    screenshot("alerts-silenced");
    // The link a notification carries (/alerts?group=<groupKey>) opens that group.
    String groupKey = notifications.stream().filter(n -> n.toString().contains("QueueBacklog"))
        .findFirst().orElseThrow().get("groupKey").asText();
    browser.open("/alerts?group=" + URLEncoder.encode(groupKey, StandardCharsets.UTF_8));
    assertThat(browser.text(By.id("group-banner"))).contains("QueueBacklog");
    assertThat(browser.driver().findElements(By.cssSelector("article.alert")))
        .allMatch(e -> "QueueBacklog".equals(e.getAttribute("data-alertname")));
    assertThat(browser.text(By.id("audit-table"))).contains("delivered");
    screenshot("alerts-group");
    assertThat(browser.consoleErrors()).isEmpty();
  }

  private static void awaitWaterfall() {
    browser.await().until(ExpectedConditions.attributeToBe(By.id("waterfall"), "data-rendered",
        "true"));
  }

  private static void screenshot(String name) {
    browser.screenshot("server-" + name);
  }

  private static String get(String path) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.httpPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.body();
  }
}
