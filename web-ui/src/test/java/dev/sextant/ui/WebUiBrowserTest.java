package dev.sextant.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The UI in a real headless Chromium (Debian's {@code chromium} + {@code chromium-driver}): search
 * → trace → span → its logs → correlation ID, the services page, and a 10,000-span trace. Every
 * page must load without browser console errors; screenshots go to {@code target/screenshots/}.
 * Skipped when Chromium or its driver is not installed ({@code bin/test} installs them).
 */
class WebUiBrowserTest {
  private static final File CHROMIUM = new File("/usr/bin/chromium");
  private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  @TempDir static Path dir;
  static UiFixture fixture;
  static ChromeDriver driver;
  static WebDriverWait wait;
  static final List<String> consoleErrors = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(),
        "chromium and chromium-driver are not installed (apt-get install chromium "
            + "chromium-driver); skipping the browser test");
    Files.createDirectories(SCREENSHOTS);
    Path profile = Files.createDirectories(dir.resolve("chrome-profile"));
    fixture = new UiFixture(Files.createDirectories(dir.resolve("data")));
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        "--window-size=1600,1000", "--user-data-dir=" + profile);
    options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    wait = new WebDriverWait(driver, Duration.ofSeconds(20));
  }

  @AfterAll
  static void stop() {
    if (driver != null) {
      driver.quit();
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
    screenshot("services");
    open("/ui/metrics");
    open("/ui/alerts");
    assertNoConsoleErrors();
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
    driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
        List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
  }

  private static double num(Object o) {
    return ((Number) o).doubleValue();
  }

  private static Object js(String script) {
    return ((JavascriptExecutor) driver).executeScript(script);
  }

  private static void open(String path) {
    driver.get(fixture.baseUrl() + path);
    collectConsole();
  }

  private static void click(By by) {
    WebElement e = wait.until(ExpectedConditions.elementToBeClickable(by));
    e.click();
  }

  private static void awaitWaterfall() {
    wait.until(ExpectedConditions.attributeToBe(By.id("waterfall"), "data-rendered", "true"));
  }

  private static void screenshot(String name) {
    try {
      File f = driver.getScreenshotAs(OutputType.FILE);
      Files.copy(f.toPath(), SCREENSHOTS.resolve(name + ".png"),
          StandardCopyOption.REPLACE_EXISTING);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void collectConsole() {
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
        consoleErrors.add(driver.getCurrentUrl() + ": " + e.getMessage());
      }
    }
  }

  private static void assertNoConsoleErrors() {
    collectConsole();
    assertThat(consoleErrors).isEmpty();
  }
}
