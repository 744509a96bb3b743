package dev.sextant.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sextant.ui.testing.Browser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The UI in a real headless Chromium (Debian's {@code chromium} + {@code chromium-driver}): search
 * → trace → span → its logs → correlation ID, services, a service page, the service map, the
 * metrics explorer, the alerts page, and a 10,000-span trace. Every page must load without
 * browser console errors; screenshots go to {@code target/screenshots/}. Skipped when Chromium or
 * its driver is not installed ({@code bin/test} installs them).
 */
class WebUiBrowserTest {
  @TempDir static Path dir;
  static UiFixture fixture;
  static Browser browser;
  static ChromeDriver driver;
  static WebDriverWait wait;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Browser.available(), Browser.MISSING);
    fixture = new UiFixture(Files.createDirectories(dir.resolve("data")));
    browser = new Browser(fixture.baseUrl(), dir.resolve("chrome-profile"));
    driver = browser.driver();
    wait = browser.await();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void searchTraceSpanLogsCorrelation_byClicks() throws Exception {
    open("/");
    wait.until(ExpectedConditions.urlContains("/ui/search"));
    screenshot("search");
    click(By.cssSelector("a.trace-link[href='/ui/traces/" + UiFixture.TRACE + "']"));

    awaitWaterfall();
    assertThat(driver.findElement(By.id("trace-meta")).getText()).contains("9 spans");
    // The orphan and the skewed span carry their flags; the critical path is marked.
    assertThat(driver.findElements(By.cssSelector(".row .flag"))).hasSizeGreaterThanOrEqualTo(2);
    assertThat(driver.findElements(By.cssSelector(".row.crit"))).isNotEmpty();
    screenshot("trace");

    click(By.cssSelector(".row[data-span-id='" + UiFixture.PLACE_ORDER + "'] .name"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("span-logs"),
        "placing order 4711"));
    assertThat(driver.getCurrentUrl()).contains("span=" + UiFixture.PLACE_ORDER);
    String panel = driver.findElement(By.id("span-panel")).getText();
    assertThat(panel).contains("PlaceOrder", "order.validated", "checkout", "app-2")
        .doesNotContain("card declined");
    screenshot("trace-span");
    // The 3 a.m. look: the same page with the system in dark mode.
    colorScheme("dark");
    screenshot("trace-span-dark");
    colorScheme("light");

    click(By.cssSelector("#span-panel a.span-correlation"));
    wait.until(ExpectedConditions.urlContains("/ui/logs?correlationId=" + UiFixture.CORRELATION));
    String logs = driver.findElement(By.id("logs")).getText();
    assertThat(logs).contains("placing order 4711", "card declined by issuer",
        "session cache warmed");
    assertThat(driver.findElements(By.cssSelector("tr.sev-error"))).hasSize(1);
    assertThat(driver.findElement(By.id("correlated-traces")).getText()).contains("GET /checkout");
    screenshot("logs");

    // A log line jumps back to its trace with its span selected.
    click(By.cssSelector("tr.sev-error a.tracelink"));
    awaitWaterfall();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("span-name"), "Charge"));
    assertNoConsoleErrors();
  }

  @Test
  void servicesPage_drawsSparklines() {
    open("/ui/services");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".spark canvas")));
    assertThat(driver.findElements(By.cssSelector("tr.service"))).hasSize(9);
    // Four signals for each service with RED metrics: latency, traffic, errors, saturation.
    assertThat(driver.findElements(By.cssSelector("tr[data-service='checkout'] .spark canvas")))
        .hasSize(4);
    assertThat(browser.text(By.cssSelector("tr[data-service='payments'] .now.alarm")))
        .endsWith("%");
    screenshot("services");
    click(By.cssSelector("tr[data-service='checkout'] a.service-link"));
    wait.until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("#signal-latency canvas")));
    assertThat(driver.findElements(By.cssSelector("#signals .signal canvas")).size())
        .isGreaterThanOrEqualTo(4);
    assertThat(browser.text(By.id("top-operations"))).contains("PlaceOrder");
    assertThat(browser.text(By.id("slowest-traces"))).contains("GET /checkout");
    screenshot("service");
    assertNoConsoleErrors();
  }

  @Test
  void serviceMap_drawsTheGraph() {
    open("/ui/map?lookback=all");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("service-map")));
    assertThat(driver.findElements(By.cssSelector("#service-map .node"))).hasSizeGreaterThan(5);
    assertThat(driver.findElement(By.cssSelector(
        ".edge[data-caller='checkout'][data-callee='payments']")).getText()).contains("calls");
    assertThat(driver.findElements(By.cssSelector(".edge.err-high"))).isNotEmpty();
    screenshot("map");
    click(By.cssSelector("#service-map a.node[data-service='payments']"));
    wait.until(ExpectedConditions.urlContains("/ui/services/payments"));
    assertNoConsoleErrors();
  }

  @Test
  void metricsExplorer_graphTableAndInlineError() {
    open("/graph?g0.expr=sum%20by%20(service_name)%20(rate(traces_span_metrics_calls_total%5B5m%5D))"
        + "&g0.tab=0");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#graph canvas")));
    assertThat(driver.getCurrentUrl()).contains("/ui/metrics?expr=").contains("tab=graph");
    assertThat(browser.text(By.id("result-count"))).startsWith("3 series");
    screenshot("metrics-graph");
    click(By.id("tab-table"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("result-table")));
    assertThat(driver.findElements(By.cssSelector("tr.result-row"))).hasSize(3);
    // Typing a broken query shows the parser's message and a caret under the position.
    driver.findElement(By.id("expr")).clear();
    driver.findElement(By.id("expr")).sendKeys("sum(rate(up[5m])");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("expr-error")));
    assertThat(browser.text(By.id("expr-error-message"))).containsPattern("^1:\\d+: parse error");
    assertThat(browser.text(By.id("expr-error-caret"))).endsWith("^");
    screenshot("metrics-error");
    assertNoConsoleErrors();
  }

  @Test
  void alertsPage_showsFiringAlertAndSilencesItByClicks() {
    open("/ui/alerts");
    WebElementText firing = () -> browser.text(By.cssSelector("article.alert.state-firing"));
    assertThat(firing.get()).contains("PaymentsFailing", "payments is failing", "playbook",
        "frontend GET /checkout error", "card declined");
    assertThat(browser.text(By.cssSelector("article.alert.state-pending")))
        .contains("CheckoutSlow");
    assertThat(browser.text(By.id("audit-table"))).contains("delivered");
    assertThat(browser.text(By.cssSelector("tr.rule[data-rule='PaymentsFailing']")))
        .contains("firing", "ok");
    screenshot("alerts");
    click(By.cssSelector("article.alert.state-firing a.silence-link"));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("silence-matchers")));
    assertThat(driver.findElement(By.id("silence-matchers")).getAttribute("value"))
        .contains("alertname=\"PaymentsFailing\"", "service_name=\"payments\"");
    driver.findElement(By.id("silence-comment")).sendKeys("card issuer outage");
    click(By.id("silence-submit"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("silence-created")));
    assertThat(browser.text(By.cssSelector("tr.silence.just-created")))
        .contains("active", "card issuer outage", "PaymentsFailing");
    assertThat(firing.get()).contains("silenced");
    screenshot("alerts-silenced");
    click(By.cssSelector("tr.silence.just-created button.expire"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("silence-expired")));
    assertThat(browser.text(By.cssSelector("#silence-table tr.silence-expired")))
        .contains("card issuer outage");
    assertNoConsoleErrors();
  }

  /** Re-reads an element's text (the page changes between reads). */
  private interface WebElementText {
    String get();
  }

  @Test
  void bigTrace_rendersOnlyVisibleRows() {
    open("/ui/traces/" + UiFixture.BIG_TRACE);
    awaitWaterfall();
    @SuppressWarnings("unchecked")
    Map<String, Object> timing = (Map<String, Object>) js("return window.sextantTiming;");
    System.out.printf("10,000-span trace in Chromium: fetch+parse %.0f ms, draw %.0f ms, "
            + "total %.0f ms (%s spans)%n", num(timing.get("fetchMs")), num(timing.get("renderMs")),
        num(timing.get("totalMs")), timing.get("spans"));
    assertThat(((Number) timing.get("spans")).intValue()).isEqualTo(UiFixture.BIG_SPANS);
    assertThat(driver.findElements(By.cssSelector("#spacer .row")).size()).isBetween(10, 200);
    // Scrolling to the end draws the last rows without drawing the rest.
    js("var v = document.getElementById('viewport'); v.scrollTop = v.scrollHeight;");
    wait.until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector(".row[data-idx='" + (UiFixture.BIG_SPANS - 1) + "']")));
    assertThat(driver.findElements(By.cssSelector("#spacer .row")).size()).isBetween(10, 200);
    // Collapsing the root hides its 9,999 descendants.
    js("document.getElementById('viewport').scrollTop = 0;");
    click(By.cssSelector(".row[data-span-id='0000000000000001'] .tog"));
    wait.until(d -> d.findElements(By.cssSelector("#spacer .row")).size() == 1);
    js("document.getElementById('expand-all').click();");
    wait.until(d -> d.findElements(By.cssSelector("#spacer .row")).size() > 10);
    screenshot("trace-10k");
    assertNoConsoleErrors();
  }

  private static void colorScheme(String scheme) {
    browser.colorScheme(scheme);
  }

  private static double num(Object o) {
    return ((Number) o).doubleValue();
  }

  private static Object js(String script) {
    return browser.js(script);
  }

  private static void open(String path) {
    browser.open(path);
  }

  private static void click(By by) {
    browser.click(by);
  }

  private static void awaitWaterfall() {
    wait.until(ExpectedConditions.attributeToBe(By.id("waterfall"), "data-rendered",
        "true"));
  }

  private static void screenshot(String name) {
    browser.screenshot(name);
  }

  private static void assertNoConsoleErrors() {
    assertThat(browser.consoleErrors()).isEmpty();
  }
}
