package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium logs in to a secured server: a page without a session leads to the
 * login form, a read token opens the UI with the tenant's own data, the session cookie is
 * invisible to scripts, and logging out locks the UI again.
 */
class LoginBrowserTest {
  private static final File CHROMIUM = new File("/usr/bin/chromium");
  private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

  @TempDir
  Path dir;

  @Test
  void browser_logsInWithTokenSeesItsTenantAndLogsOut() throws Exception {
    assumeTrue(CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(),
        "chromium and chromium-driver are not installed; skipping the browser test");
    try (SextantServer server = SecuredServers.builder(dir.resolve("data")).build()) {
      server.start();
      TenantTelemetry.send("alpha", "http://127.0.0.1:" + server.grpcPort(), true,
          Map.of("authorization", "Bearer " + SecuredServers.A_INGEST), null);
      TenantTelemetry.send("bravo", "http://127.0.0.1:" + server.grpcPort(), true,
          Map.of("authorization", "Bearer " + SecuredServers.ADMIN), null);
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM);
      options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
          "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir="
              + Files.createDirectories(dir.resolve("profile")));
      ChromeDriverService service = new ChromeDriverService.Builder()
          .usingDriverExecutable(CHROMEDRIVER).usingAnyFreePort().build();
      ChromeDriver driver = new ChromeDriver(service, options);
      try {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        String base = "http://127.0.0.1:" + server.httpPort();
        driver.get(base + "/ui/services");
        wait.until(ExpectedConditions.urlContains("/login"));
        driver.findElement(By.name("token")).sendKeys(SecuredServers.WRONG);
        driver.findElement(By.cssSelector("input[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"),
            "not valid"));

        driver.findElement(By.name("token")).sendKeys(SecuredServers.A_READ);
        driver.findElement(By.cssSelector("input[type=submit]")).click();
        wait.until(ExpectedConditions.urlContains("/ui/services"));
        String page = driver.getPageSource();
        assertThat(page).contains("svc-alpha").doesNotContain("svc-bravo");
        Cookie session = driver.manage().getCookieNamed("sextant_session");
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.isSecure()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
        assertThat(session.getValue()).doesNotContain(SecuredServers.A_READ);
        assertThat((String) driver.executeScript("return document.cookie"))
            .doesNotContain("sextant_session");

        driver.get(base + "/logout");
        wait.until(ExpectedConditions.urlContains("/login"));
        driver.get(base + "/ui/search");
        wait.until(ExpectedConditions.urlContains("/login"));
        assertThat(driver.findElements(By.name("token"))).hasSize(1);
      } finally {
        driver.quit();
      }
    }
  }
}
