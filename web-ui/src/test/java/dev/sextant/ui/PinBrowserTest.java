package dev.sextant.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sextant.query.trace.TraceService;
import dev.sextant.storage.Span;
import dev.sextant.storage.SpanKind;
import dev.sextant.storage.StatusCode;
import dev.sextant.ui.testing.Browser;
import java.nio.file.Path;
import java.util.List;
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
 * Pinning in a real headless Chromium over real embedded storage: the trace page's pin form
 * leads to the pinned list (reached from the nav too), the trace page then says it is pinned,
 * and unpinning from the list empties it. Skipped when Chromium or its driver is not installed.
 */
class PinBrowserTest {
  static final long MS = 1_000_000L;
  static final String TRACE = "5eed0000000000000000000000000001";
  @TempDir static Path dir;
  static BrowserStack stack;
  static Browser browser;
  static WebDriverWait wait;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Browser.available(), Browser.MISSING);
    stack = BrowserStack.start(dir, storage -> {
      long t = System.currentTimeMillis() * MS - 60_000 * MS;
      storage.spanConsumer().accept(List.of(Span.builder().traceId(TRACE)
          .spanId("0000000000000001").serviceName("payments").name("charge")
          .kind(SpanKind.SERVER).startTimeUnixNano(t).endTimeUnixNano(t + 20 * MS)
          .statusCode(StatusCode.ERROR).resourceAttributes(Map.of("service.name", "payments"))
          .build())).get();
    }, (sb, storage) -> sb.service("/api/traces/{traceId}",
        new TraceService(storage.traceReader(), null, 1000)));
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
  void tracePage_pinsTheTrace_pinsPageListsAndUnpinsIt() {
    browser.open("/ui/traces/" + TRACE);
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("pin-toggle")));
    assertThat(browser.driver().findElements(By.cssSelector(".pinned-note"))).isEmpty();
    browser.click(By.id("pin-toggle"));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("pin-incident")));
    browser.driver().findElement(By.id("pin-incident")).sendKeys("INC-42");
    browser.driver().findElement(By.id("pin-reason")).sendKeys("card processor outage");
    browser.click(By.id("pin-button"));

    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("pin-created")));
    List<WebElement> rows = browser.driver().findElements(By.cssSelector("tr.pin-row"));
    assertThat(rows).hasSize(1);
    WebElement row = rows.get(0);
    assertThat(row.findElement(By.tagName("a")).getText()).isEqualTo("trace " + TRACE);
    assertThat(row.findElement(By.cssSelector(".incident")).getText()).isEqualTo("INC-42");
    assertThat(row.findElement(By.cssSelector(".reason")).getText())
        .isEqualTo("card processor outage");
    assertThat(row.findElement(By.cssSelector(".by")).getText()).isEqualTo("anonymous");
    assertThat(row.findElement(By.cssSelector(".expires")).getText())
        .isEqualTo("once the incident resolves, plus the keep time");
    browser.screenshot("pins");

    browser.open("/ui/traces/" + TRACE);
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".pinned-note")));
    assertThat(browser.text(By.cssSelector(".pinned-note")))
        .startsWith("Pinned for INC-42: card processor outage (by anonymous");

    browser.click(By.id("nav-pins"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("button.unpin")));
    browser.click(By.cssSelector("button.unpin"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("pin-removed")));
    assertThat(browser.text(By.id("no-pins"))).isEqualTo("Nothing is pinned.");
    assertThat(stack.storage().pins().list()).isEmpty();
    assertThat(browser.consoleErrors()).isEmpty();
  }
}
