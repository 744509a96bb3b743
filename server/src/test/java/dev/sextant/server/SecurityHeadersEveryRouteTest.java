package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.server.ServiceConfig;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Walks every route the running server registered (auth off, the default) and calls it with
 * every method it accepts: each answer, served or refused, carries the CSP with
 * {@code frame-ancestors 'none'}, {@code X-Frame-Options: DENY}, {@code nosniff} and a
 * {@code Referrer-Policy}, and everything but the static assets says {@code no-store}. The
 * headers come from one server-wide decorator, so a route added later is covered here without
 * editing this test.
 */
class SecurityHeadersEveryRouteTest {
  private static final Set<HttpMethod> METHODS = EnumSet.of(HttpMethod.GET, HttpMethod.HEAD,
      HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH, HttpMethod.OPTIONS);

  @TempDir
  Path dataDir;

  static void assertHardened(AggregatedHttpResponse r, String path, String what) {
    assertThat(r.headers().get("content-security-policy")).as(what)
        .contains("frame-ancestors 'none'").contains("default-src");
    assertThat(r.headers().get("x-frame-options")).as(what).isEqualTo("DENY");
    assertThat(r.headers().get("x-content-type-options")).as(what).isEqualTo("nosniff");
    assertThat(r.headers().get("referrer-policy")).as(what).isEqualTo("same-origin");
    if (!path.startsWith("/static/") && !path.equals("/favicon.ico")) {
      assertThat(r.headers().get("cache-control")).as(what).isEqualTo("no-store");
    }
  }

  @Test
  void everyRegisteredRoute_answersWithSecurityHeaders() {
    try (SextantServer server = SextantServer.builder().dataDir(dataDir)
        .bindAddress("127.0.0.1").grpcPort(0).otlpHttpPort(0).httpPort(0).build()) {
      server.start();
      var armeria = ((DefaultSextantServer) server).armeria();
      Set<String> covered = new LinkedHashSet<>();
      int calls = 0;
      for (ServiceConfig sc : armeria.config().serviceConfigs()) {
        int port = sc.virtualHost().port();
        if (port == server.grpcPort()) {
          continue; // gRPC answers are for gRPC clients, not browsers
        }
        String path = AuthEveryRouteTest.concretePath(sc.route());
        for (HttpMethod m : sc.route().methods()) {
          if (!METHODS.contains(m)) {
            continue;
          }
          AggregatedHttpResponse r = SecuredServers.call("http", port, m, path);
          calls++;
          assertHardened(r, path, m + " :" + port + path + " -> " + r.status());
        }
        covered.add(":" + port + " " + sc.route().patternString());
      }
      System.out.println("SecurityHeadersEveryRouteTest: " + covered.size() + " routes, "
          + calls + " calls");
      assertThat(covered.size()).isGreaterThan(30);

      // Pages get the page policy, which the UI's own pages satisfy (the browser tests fail on
      // any CSP violation); data gets a policy that loads nothing; assets stay cacheable.
      int http = server.httpPort();
      AggregatedHttpResponse page = SecuredServers.call("http", http, HttpMethod.GET,
          "/ui/search");
      assertThat(page.status().code()).isEqualTo(200);
      assertThat(page.headers().get("content-security-policy")).contains("default-src 'self'")
          .contains("script-src 'self'").doesNotContain("'unsafe-eval'");
      assertThat(SecuredServers.call("http", http, HttpMethod.GET, "/api/services").headers()
          .get("content-security-policy")).startsWith("default-src 'none'");
      AggregatedHttpResponse css = SecuredServers.call("http", http, HttpMethod.GET,
          "/static/sextant.css");
      assertThat(css.status().code()).isEqualTo(200);
      assertThat(css.headers().get("cache-control")).isNotEqualTo("no-store");
      assertThat(css.headers().get("x-content-type-options")).isEqualTo("nosniff");
    }
  }
}
