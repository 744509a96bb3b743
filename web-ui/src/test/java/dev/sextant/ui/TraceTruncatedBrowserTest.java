package dev.sextant.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sextant.ui.testing.Browser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The waterfall of a trace over the trace API's read limit (5 here; the checkout trace has 9
 * spans) says so on the page, in a real headless Chromium. Skipped without Chromium.
 */
class TraceTruncatedBrowserTest {
  @TempDir static Path dir;
  static UiFixture fixture;
  static Browser browser;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Browser.available(), Browser.MISSING);
    fixture = new UiFixture(Files.createDirectories(dir.resolve("data")), 5);
    browser = new Browser(fixture.baseUrl(), dir.resolve("chrome-profile"));
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
  void waterfall_ofATraceOverTheLimit_showsTheTruncationNote() {
    browser.open("/ui/traces/" + UiFixture.TRACE);
    browser.await().until(ExpectedConditions.attributeToBe(By.id("waterfall"), "data-rendered",
        "true"));
    assertThat(browser.text(By.id("trace-truncated"))).isEqualTo("trace truncated at 5 spans");
    assertThat(browser.text(By.id("trace-meta"))).contains("5 spans");
    assertThat(((Number) browser.js("return window.sextantTiming.spans;")).intValue())
        .isEqualTo(5);
    browser.screenshot("trace-truncated");
    assertThat(browser.consoleErrors()).isEmpty();
  }
}
