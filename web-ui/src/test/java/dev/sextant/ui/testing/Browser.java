package dev.sextant.ui.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
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
 * Debian's headless {@code chromium} driven through the system {@code /usr/bin/chromedriver}
 * (never a downloaded one), for the UI tests of web-ui and of the server. It keeps every browser
 * console error seen since it started, and every asset a page loads from another origin
 * ({@link #consoleErrors()}), and writes screenshots to {@code target/screenshots/}.
 */
public final class Browser implements AutoCloseable {
  private static final File CHROMIUM = new File("/usr/bin/chromium");
  private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
  public static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private final ChromeDriver driver;
  private final WebDriverWait wait;
  private final String baseUrl;
  private final List<String> consoleErrors = new ArrayList<>();

  /** Whether chromium and chromium-driver are installed ({@code bin/test} installs them). */
  public static boolean available() {
    return CHROMIUM.canExecute() && CHROMEDRIVER.canExecute();
  }

  /** The message tests skip with when {@link #available()} is false. */
  public static final String MISSING = "chromium and chromium-driver are not installed "
      + "(apt-get install chromium chromium-driver); skipping the browser test";

  /** Starts a browser with a fresh profile under {@code profileDir}, opening {@code baseUrl}. */
  public Browser(String baseUrl, Path profileDir) throws IOException {
    this.baseUrl = baseUrl;
    Files.createDirectories(SCREENSHOTS);
    Files.createDirectories(profileDir);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        "--window-size=1600,1000", "--user-data-dir=" + profileDir);
    options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    wait = new WebDriverWait(driver, Duration.ofSeconds(20));
  }

  public ChromeDriver driver() {
    return driver;
  }

  public WebDriverWait await() {
    return wait;
  }

  /** Opens {@code path} (relative to the base URL) and collects the console of the last page. */
  public void open(String path) {
    collectConsole();
    driver.get(baseUrl + path);
    collectConsole();
  }

  /** Waits until clickable, then clicks. */
  public void click(By by) {
    WebElement e = wait.until(ExpectedConditions.elementToBeClickable(by));
    e.click();
  }

  public String text(By by) {
    return wait.until(ExpectedConditions.presenceOfElementLocated(by)).getText();
  }

  public Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** Emulates the system's {@code prefers-color-scheme} ({@code dark} or {@code light}). */
  public void colorScheme(String scheme) {
    driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
        List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
  }

  /** Writes {@code target/screenshots/<name>.png} and returns its path. */
  public Path screenshot(String name) {
    try {
      File f = driver.getScreenshotAs(OutputType.FILE);
      Path to = SCREENSHOTS.resolve(name + ".png");
      Files.copy(f.toPath(), to, StandardCopyOption.REPLACE_EXISTING);
      return to;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads the browser log; SEVERE entries (console errors, failed loads) are kept, and so is
   * every script, stylesheet or image of the current page that another origin serves (a CDN).
   */
  public void collectConsole() {
    for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
      if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
        consoleErrors.add(driver.getCurrentUrl() + ": " + e.getMessage());
      }
    }
    if (!driver.getCurrentUrl().startsWith(baseUrl)) {
      return; // the browser's own start page
    }
    Object external = js("return Array.from(document.querySelectorAll("
        + "'script[src], link[href], img[src]')).map(function (e) { return e.src || e.href; })"
        + ".filter(function (u) { return new URL(u, location.href).origin !== location.origin"
        + " && !u.startsWith('data:'); });");
    if (external instanceof List<?> list) {
      for (Object u : list) {
        consoleErrors.add(driver.getCurrentUrl() + ": asset from another origin: " + u);
      }
    }
  }

  /** Every console error seen so far (after reading the current page's log). */
  public List<String> consoleErrors() {
    collectConsole();
    return List.copyOf(consoleErrors);
  }

  @Override
  public void close() {
    driver.quit();
  }
}
