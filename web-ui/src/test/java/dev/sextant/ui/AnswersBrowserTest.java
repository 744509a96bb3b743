package dev.sextant.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sextant.storage.Attributes;
import dev.sextant.storage.Span;
import dev.sextant.storage.SpanKind;
import dev.sextant.storage.StatusCode;
import dev.sextant.storage.TraceQuery;
import dev.sextant.ui.testing.Browser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The answer views in a real headless Chromium: from a search for failing charges to "compare
 * these with the rest", and from a service page to an operation's critical path. Skipped when
 * Chromium or its driver is not installed ({@code bin/test} installs them).
 */
class AnswersBrowserTest {
  static final long MS = 1_000_000L;
  @TempDir static Path dir;
  static BrowserStack stack;
  static Browser browser;
  static WebDriverWait wait;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Browser.available(), Browser.MISSING);
    stack = BrowserStack.start(dir, storage -> {
      long now = System.currentTimeMillis() * MS;
      List<Span> spans = new ArrayList<>();
      // 20 failing charges, 16 through acme; 40 good ones, 2 through acme (30 minutes ago).
      // Orders an hour and a half ago: charge 50ms of 125ms; half an hour ago: 300ms of 375ms.
      for (int i = 0; i < 60; i++) {
        boolean failing = i < 20;
        boolean acme = failing ? i < 16 : i < 22;
        long t = now - 30 * 60_000 * MS + i * 1000 * MS;
        String trace = String.format(Locale.ROOT, "%032x", i + 1);
        spans.add(span(trace, 1, 0, "gateway", "POST /api/orders", t, t + 375 * MS,
            StatusCode.UNSET, Map.of()));
        spans.add(span(trace, 2, 1, "inventory", "reserve", t + 10 * MS, t + 60 * MS,
            StatusCode.UNSET, Map.of()));
        spans.add(span(trace, 3, 1, "payments", "charge", t + 65 * MS, t + 365 * MS,
            failing ? StatusCode.ERROR : StatusCode.UNSET,
            Map.of("payment.provider", acme ? "acme" : "stripe")));
        long p = t - 60 * 60_000 * MS;
        String before = String.format(Locale.ROOT, "%032x", 1000 + i);
        spans.add(span(before, 1, 0, "gateway", "POST /api/orders", p, p + 125 * MS,
            StatusCode.UNSET, Map.of()));
        spans.add(span(before, 2, 1, "inventory", "reserve", p + 10 * MS, p + 60 * MS,
            StatusCode.UNSET, Map.of()));
        spans.add(span(before, 3, 1, "payments", "charge", p + 65 * MS, p + 115 * MS,
            StatusCode.UNSET, Map.of("payment.provider", "stripe")));
      }
      storage.spanConsumer().accept(spans).get();
      long deadline = System.nanoTime() + 20_000_000_000L;
      TraceQuery all = TraceQuery.builder().limit(1000).build();
      while (storage.spanSearch().search(all).size() < 120) {
        assertThat(System.nanoTime()).as("spans searchable within 20 s").isLessThan(deadline);
        Thread.sleep(50);
      }
    }, (sb, storage) -> { });
    browser = stack.browser();
    wait = browser.await();
  }

  @AfterAll
  static void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void searchResults_compareTheFailingOnesWithTheRest() {
    browser.open("/ui/search?service=payments&operation=charge&errors=on&lookback=1h");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("results")));
    browser.click(By.id("compare-link"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("differences")));
    assertThat(browser.text(By.id("compare-summary")))
        .startsWith("20 failing traces (of 20 found) against 40 other traces");
    WebElement top = browser.driver().findElements(By.cssSelector("tr.difference")).get(0);
    assertThat(top.findElement(By.cssSelector("code.field")).getText())
        .isEqualTo("payment.provider=acme");
    assertThat(top.findElement(By.cssSelector(".sel-pct")).getText()).isEqualTo("80.0 %");
    assertThat(top.findElement(By.cssSelector(".base-pct")).getText()).isEqualTo("5.0 %");
    assertThat(top.getText())
        .contains("80 % of failing traces have payment.provider=acme, 5 % of the others");
    browser.screenshot("compare");
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  void servicePage_leadsToTheCriticalPathAndItsChange() {
    browser.open("/ui/services/gateway?range=1h&operation=" + "POST%20%2Fapi%2Forders");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("critical-path-link")));
    browser.click(By.id("critical-path-link"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("critical-path")));
    assertThat(browser.text(By.id("critical-path-summary")))
        .startsWith("60 trace(s) in this range (end-to-end p50 375ms")
        .contains("60 in the range before (p50 125ms");
    assertThat(browser.text(By.id("grew-most")))
        .isEqualTo("Grew most: payments charge: 40.0 % → 80.0 % of the time on the critical "
            + "path (mean)");
    List<WebElement> rows = browser.driver().findElements(By.cssSelector("tr.cp-row"));
    assertThat(rows.get(0).getText()).startsWith("payments charge").contains("+40.0 pts");
    assertThat(rows.get(0).getAttribute("class")).contains("grew-row");
    browser.screenshot("critical-path");
    // The service page's own link to compare its failing traces works too.
    browser.open("/ui/services/payments?range=1h");
    browser.click(By.id("compare-link"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("differences")));
    assertThat(browser.text(By.cssSelector("tr.difference code.field")))
        .isEqualTo("payment.provider=acme");
    assertThat(browser.consoleErrors()).isEmpty();
  }

  private static Span span(String trace, int id, int parent, String service, String name,
      long start, long end, StatusCode status, Map<String, Object> attrs) {
    return Span.builder().traceId(trace).spanId(String.format(Locale.ROOT, "%016x", id))
        .parentSpanId(parent == 0 ? "" : String.format(Locale.ROOT, "%016x", parent))
        .serviceName(service).name(name).kind(SpanKind.SERVER).startTimeUnixNano(start)
        .endTimeUnixNano(end).statusCode(status).attributes(attrs)
        .resourceAttributes(Attributes.of("service.name", service)).build();
  }
}
