package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two tenants send traces, logs and metrics with the real SDK exporters (alpha over gRPC with a
 * bearer token, bravo over HTTP with an API key); then every read API, as each tenant, must show
 * that tenant's data and nothing of the other's: native search, trace by id, logs, services,
 * dependencies, signals, Prometheus query/series/labels, the Jaeger API and the UI pages.
 */
class TenantIsolationTest {
  @TempDir
  Path dir;

  @Test
  void tenants_neverSeeEachOthersDataThroughAnyApi() throws Exception {
    Path rules = Files.writeString(dir.resolve("rules.yml"), """
        groups:
          - name: tenancy
            interval: 200ms
            rules:
              - alert: DefaultOrders
                expr: default_orders_total > 0
              - alert: AlphaOrders
                expr: alpha_orders_total > 0
        """);
    try (SextantServer server = SecuredServers.builder(dir.resolve("data"))
        .spanMetricsInterval(Duration.ofMillis(300)).ruleFiles(List.of(rules.toString()))
        .evaluationInterval(Duration.ofMillis(200)).build()) {
      server.start();
      String grpc = "http://127.0.0.1:" + server.grpcPort();
      String http = "http://127.0.0.1:" + server.otlpHttpPort();
      String alpha = TenantTelemetry.send("alpha", grpc, true,
          Map.of("authorization", "Bearer " + SecuredServers.A_INGEST), null).traceId();
      String bravo = TenantTelemetry.send("bravo", http, false,
          Map.of("x-api-key", SecuredServers.B_INGEST), null).traceId();
      String dflt = TenantTelemetry.send("default", grpc, true,
          Map.of("authorization", "Bearer " + SecuredServers.ADMIN), null).traceId();
      int port = server.httpPort();
      Reader a = new Reader(port, SecuredServers.A_READ, "alpha", alpha);
      Reader b = new Reader(port, SecuredServers.B_READ, "bravo", bravo);
      Reader d = new Reader(port, SecuredServers.DEFAULT_READ, "default", dflt);
      // RED series are derived per tenant: wait until each tenant has its own.
      for (Reader r : List.of(a, b, d)) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(r.get(
            "/api/v1/label/service_name/values").contentUtf8()).contains("svc-" + r.name));
      }
      int checks = 0;
      for (Reader r : List.of(a, b, d)) {
        for (Reader other : List.of(a, b, d)) {
          if (other != r) {
            checks += r.seesNothingOf(other);
          }
        }
        checks += r.seesItsOwn();
      }
      System.out.println("TenantIsolationTest: " + checks + " responses checked");

      // alerting.rules are the default tenant's and run over its data only; other tenants see
      // their own (here: no) rules and alerts, and the server-wide /metrics stays the operator's.
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(d.get("/api/v1/alerts").contentUtf8()).contains("DefaultOrders"));
      Thread.sleep(1000); // several evaluations of AlphaOrders, which must stay inactive
      assertThat(d.get("/api/v1/alerts").contentUtf8()).doesNotContain("AlphaOrders");
      for (String path : List.of("/api/v1/alerts", "/api/v1/rules", "/api/v2/silences",
          "/api/alerts/audit", "/ui/alerts")) {
        AggregatedHttpResponse own = a.get(path);
        assertThat(own.status().code()).as(path).isEqualTo(200);
        assertThat(own.contentUtf8()).as(path).doesNotContain("DefaultOrders")
            .doesNotContain("AlphaOrders");
        assertThat(d.get(path).status().code()).as(path).isEqualTo(200);
      }
      assertThat(a.get("/metrics").status().code()).isEqualTo(403);
      assertThat(d.get("/metrics").status().code()).isEqualTo(200);
    }
  }

  /** A tenant's read token and what that tenant sent. */
  private static final class Reader {
    final int port;
    final String token;
    final String name;
    final String traceId;

    Reader(int port, String token, String name, String traceId) {
      this.port = port;
      this.token = token;
      this.name = name;
      this.traceId = traceId;
    }

    AggregatedHttpResponse get(String path) {
      return SecuredServers.get(port, path, token);
    }

    int seesItsOwn() {
      assertThat(get("/api/services").contentUtf8()).contains("svc-" + name);
      assertThat(get("/api/traces/" + traceId).contentUtf8()).contains("svc-" + name);
      assertThat(get("/jaeger/api/traces/" + traceId).contentUtf8()).contains("svc-" + name);
      assertThat(get("/ui/traces/" + traceId).contentUtf8()).contains("svc-" + name);
      assertThat(get("/api/logs?q=secret").contentUtf8()).contains(name + " secret log line");
      assertThat(get("/api/v1/query?query=" + enc(name + "_orders_total")).contentUtf8())
          .contains("\"" + name + "_orders_total\"").contains("\"3\"");
      assertThat(get("/api/v1/label/__name__/values").contentUtf8())
          .contains(name + "_orders_total");
      assertThat(get("/ui/search").contentUtf8()).contains("svc-" + name);
      return 8;
    }

    /** Everything this reader can list must be free of the other tenant's marks. */
    int seesNothingOf(Reader other) {
      String now = Long.toString(System.currentTimeMillis() * 1000);
      List<String> paths = List.of("/api/services", "/api/search", "/api/search?service=svc-"
          + name, "/api/dependencies", "/api/logs?q=secret", "/api/logs?q=" + other.name,
          "/api/services/svc-" + name + "/signals?step=15s",
          "/api/v1/query?query=" + enc("{__name__=~\".+\"}"),
          "/api/v1/query_range?query=" + enc("{__name__=~\".+\"}") + "&start="
              + (System.currentTimeMillis() / 1000 - 600) + "&end="
              + (System.currentTimeMillis() / 1000) + "&step=15",
          "/api/v1/series?match[]=" + enc("{__name__=~\".+\"}"), "/api/v1/labels",
          "/api/v1/label/__name__/values", "/api/v1/label/service_name/values",
          "/jaeger/api/services", "/jaeger/api/traces?service=svc-" + name,
          "/jaeger/api/dependencies?endTs=" + now.substring(0, now.length() - 3)
              + "&lookback=3600000",
          "/ui/search", "/ui/services", "/ui/logs?q=secret", "/",
          // The other tenant's own trace id, asked for directly:
          "/api/traces/" + other.traceId, "/api/traces/" + other.traceId + "/logs",
          "/jaeger/api/traces/" + other.traceId, "/ui/traces/" + other.traceId,
          "/ui/traces/" + other.traceId + "/logs");
      for (String p : paths) {
        AggregatedHttpResponse r = get(p);
        String body = r.contentUtf8();
        assertThat(r.status().code()).as(name + " " + p + ": " + body).isLessThan(500);
        assertThat(body).as(name + " reading " + p).doesNotContain("svc-" + other.name)
            .doesNotContain(other.name + " secret").doesNotContain(other.name + "_orders");
        if (!p.contains(other.traceId)) {
          assertThat(body).as(name + " reading " + p).doesNotContain(other.traceId);
        }
      }
      return paths.size();
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
