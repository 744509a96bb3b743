package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Auth off, as by default: anonymous callers read and ingest, but every admin action is refused
 * until {@code enableAdminApi}; writes a browser sends from another site are refused; JSON and
 * YAML bodies must say so; the start-up log says what is open.
 */
class SecureDefaultsTest {
  private static final String RULES = """
      groups:
        - name: g
          rules:
            - alert: Up
              expr: vector(1)
      """;
  private static final String SILENCE = "{\"matchers\":[{\"name\":\"alertname\",\"value\":\"X\","
      + "\"isRegex\":false}],\"startsAt\":\"2026-01-01T00:00:00Z\","
      + "\"endsAt\":\"2099-01-01T00:00:00Z\","
      + "\"createdBy\":\"test\",\"comment\":\"c\"}";

  @TempDir
  Path dir;

  private static AggregatedHttpResponse call(int port, HttpMethod m, String path, MediaType type,
      String body, String... headers) {
    RequestHeadersBuilder h = RequestHeaders.builder(m, path);
    if (type != null) {
      h.contentType(type);
    }
    for (int i = 0; i < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1]);
    }
    return WebClient.of("http://127.0.0.1:" + port).execute(h.build(), body == null ? "" : body)
        .aggregate().join();
  }

  private SextantServerBuilder builder() throws Exception {
    Path rules = Files.writeString(dir.resolve("rules.yml"), RULES);
    return SextantServer.builder().dataDir(dir.resolve("data")).bindAddress("127.0.0.1")
        .grpcPort(0).otlpHttpPort(0).httpPort(0).ruleFiles(List.of(rules.toString()));
  }

  @Test
  void authOff_anonymousAdminActionsAreRefusedByDefault() throws Exception {
    try (SextantServer server = builder().build()) {
      server.start();
      int http = server.httpPort();
      MediaType yaml = MediaType.parse("application/yaml");
      List<AggregatedHttpResponse> refused = List.of(
          call(http, HttpMethod.POST, "/-/reload", null, null),
          call(http, HttpMethod.PUT, "/-/reload", null, null),
          call(http, HttpMethod.POST, "/api/v2/silences", MediaType.JSON, SILENCE),
          call(http, HttpMethod.DELETE, "/api/v2/silence/abc", null, null),
          call(http, HttpMethod.POST, "/ui/alerts/silences", MediaType.FORM_DATA,
              "matchers=alertname%3D%22X%22&duration=1h"),
          call(http, HttpMethod.POST, "/ui/alerts/silences/abc/expire", MediaType.FORM_DATA, ""),
          call(http, HttpMethod.POST, "/api/alerts/backtest?from=1&to=100", yaml, RULES));
      for (AggregatedHttpResponse r : refused) {
        assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(403);
        assertThat(r.contentUtf8()).contains("admin action").contains("--enable-admin-api")
            .contains("auth.enabled");
      }
      // A browser's form post gets a page, not JSON.
      AggregatedHttpResponse page = call(http, HttpMethod.POST, "/ui/alerts/silences",
          MediaType.FORM_DATA, "matchers=a%3D%22b%22", "accept", "text/html");
      assertThat(page.contentType().subtype()).isEqualTo("html");
      assertThat(page.contentUtf8()).contains("--enable-admin-api");
      // Reading and ingesting stay open: the trusted-network mode.
      for (String read : List.of("/api/v2/silences", "/api/v1/rules", "/ui/alerts",
          "/api/v1/query?query=1")) {
        assertThat(call(http, HttpMethod.GET, read, null, null).status().code()).as(read)
            .isEqualTo(200);
      }
      assertThat(SecuredServers.post(server.otlpHttpPort(), "/v1/metrics",
          ChildServers.queueDepth(1).toByteArray()).status().code()).isEqualTo(200);
    }
  }

  @Test
  void adminApiEnabled_writesNeedTheirContentTypeAndSameSite() throws Exception {
    try (SextantServer server = builder().enableAdminApi(true).build()) {
      server.start();
      int http = server.httpPort();
      // JSON APIs: text/plain (what a cross-site page can send without preflight) is 415.
      AggregatedHttpResponse plain = call(http, HttpMethod.POST, "/api/v2/silences",
          MediaType.PLAIN_TEXT_UTF_8, SILENCE);
      assertThat(plain.status().code()).isEqualTo(415);
      assertThat(plain.contentUtf8()).contains("Content-Type: text/plain")
          .contains("expected: application/json");
      assertThat(call(http, HttpMethod.POST, "/api/v2/silences", null, SILENCE).status().code())
          .isEqualTo(415);
      AggregatedHttpResponse ok = call(http, HttpMethod.POST, "/api/v2/silences",
          MediaType.JSON_UTF_8, SILENCE);
      assertThat(ok.status().code()).as(ok.contentUtf8()).isEqualTo(200);
      String path = "/api/alerts/backtest?from=" + (System.currentTimeMillis() / 1000 - 60)
          + "&to=" + System.currentTimeMillis() / 1000;
      AggregatedHttpResponse form = call(http, HttpMethod.POST, path, MediaType.FORM_DATA,
          RULES);
      assertThat(form.status().code()).isEqualTo(415);
      assertThat(form.contentUtf8()).contains("expected: application/yaml");
      assertThat(call(http, HttpMethod.POST, path, MediaType.parse("application/yaml"), RULES)
          .status().code()).isEqualTo(200);

      // Cross-site writes are refused, whatever the route; same-origin ones pass.
      String silenceForm = "matchers=alertname%3D%22Y%22&duration=1h";
      String[][] crossSite = {{"sec-fetch-site", "cross-site"}, {"sec-fetch-site", "same-site"},
          {"origin", "https://evil.example"}, {"origin", "null"}};
      for (String[] h : crossSite) {
        for (AggregatedHttpResponse r : List.of(
            call(http, HttpMethod.POST, "/ui/alerts/silences", MediaType.FORM_DATA, silenceForm,
                h),
            call(http, HttpMethod.POST, "/-/reload", null, null, h),
            call(http, HttpMethod.POST, "/api/v2/silences", MediaType.JSON, SILENCE, h))) {
          assertThat(r.status().code()).as(h[0] + ": " + h[1]).isEqualTo(403);
          assertThat(r.contentUtf8()).contains("cross-site request refused");
        }
      }
      assertThat(call(http, HttpMethod.POST, "/ui/alerts/silences", MediaType.FORM_DATA,
          silenceForm, "sec-fetch-site", "same-origin").status().code()).isEqualTo(303);
      assertThat(call(http, HttpMethod.POST, "/ui/alerts/silences", MediaType.FORM_DATA,
          silenceForm, "origin", "http://127.0.0.1:" + http).status().code()).isEqualTo(303);
      assertThat(call(http, HttpMethod.POST, "/-/reload", null, null).status().code())
          .isEqualTo(200);
      // Reads from another site are not writes: a cross-site GET still answers.
      assertThat(call(http, HttpMethod.GET, "/api/v2/silences", null, null,
          "sec-fetch-site", "cross-site").status().code()).isEqualTo(200);
    }
  }

  @Test
  void authOn_headerTokensSkipTheCrossSiteCheckButCookiesDoNot() throws Exception {
    try (SextantServer server = SecuredServers.builder(dir.resolve("data")).build()) {
      server.start();
      int http = server.httpPort();
      // An API client with a token is no browser page: a stray Origin does not matter.
      assertThat(call(http, HttpMethod.POST, "/-/reload", null, null, "authorization",
          "Bearer " + SecuredServers.ADMIN, "origin", "https://elsewhere.example").status()
          .code()).isEqualTo(200);
      // Roles still decide with auth on; the admin flag plays no part.
      assertThat(call(http, HttpMethod.POST, "/-/reload", null, null, "authorization",
          "Bearer " + SecuredServers.A_READ).status().code()).isEqualTo(403);
      AggregatedHttpResponse login = call(http, HttpMethod.POST, "/login", MediaType.FORM_DATA,
          "token=" + SecuredServers.ADMIN + "&next=%2Fui%2Falerts");
      String setCookie = login.headers().get("set-cookie");
      String cookie = setCookie.substring(0, setCookie.indexOf(';'));
      assertThat(call(http, HttpMethod.POST, "/-/reload", null, null, "cookie", cookie,
          "sec-fetch-site", "cross-site").status().code()).isEqualTo(403);
      assertThat(call(http, HttpMethod.POST, "/-/reload", null, null, "cookie", cookie,
          "sec-fetch-site", "same-origin").status().code()).isEqualTo(200);
      // Login CSRF: another site's page cannot log the browser in with its own token.
      assertThat(call(http, HttpMethod.POST, "/login", MediaType.FORM_DATA,
          "token=" + SecuredServers.ADMIN, "origin", "https://evil.example").status().code())
          .isEqualTo(403);
    }
  }

  @Test
  void start_warnsLoudlyWhenAuthIsOffOnEveryInterface() throws Exception {
    Logger log = (Logger) LoggerFactory.getLogger(SextantServer.class);
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.start();
    log.addAppender(seen);
    try (SextantServer server = builder().bindAddress("0.0.0.0").build()) {
      server.start();
      assertThat(seen.list).filteredOn(e -> e.getLevel().toString().equals("WARN"))
          .extracting(ILoggingEvent::getFormattedMessage).singleElement().asString()
          .contains("AUTHENTICATION IS OFF").contains("0.0.0.0")
          .contains(String.valueOf(server.httpPort())).contains("auth.enabled: true")
          .contains("the admin API (reload, silences, backtests) is refused");
    } finally {
      log.detachAppender(seen);
    }
    seen.list.clear();
    log.addAppender(seen);
    try (SextantServer server = builder().build()) {
      server.start();
      assertThat(seen.list).noneMatch(e -> e.getLevel().toString().equals("WARN"));
    } finally {
      log.detachAppender(seen);
    }
  }

  @Test
  void build_refusesTheSamePortTwice() {
    Assertions.assertThatThrownBy(() -> SextantServer.builder()
        .otlpHttpPort(8686).httpPort(8686).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("httpPort: 8686, the same port as otlpHttpPort");
    Assertions.assertThatThrownBy(() -> SextantServer.builder()
        .grpcPort(4318).build())
        .hasMessageStartingWith("otlpHttpPort: 4318, the same port as grpcPort");
  }
}
