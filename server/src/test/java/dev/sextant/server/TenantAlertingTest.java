package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.sun.net.httpserver.HttpServer;
import dev.sextant.alert.internal.delivery.PagerDutyReceiver;
import dev.sextant.server.security.AccessPolicy;
import dev.sextant.server.security.Role;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two tenants with the same rule file ({@code rules/alpha/shop.yml} = {@code rules/bravo/shop.yml})
 * and the same metric names; only bravo's queue crosses the threshold. Only bravo's alert fires
 * and pages (a real local HTTP server plays PagerDuty) naming bravo, with a tenant-scoped dedup
 * key and evidence from bravo's traces only; alpha's silence does not mute bravo; alpha sees none
 * of bravo's alerts, silences, deliveries or recorded series through any alerting API or the UI;
 * reload is per tenant; a restart keeps each tenant's state.
 */
class TenantAlertingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String A_ADMIN = "alpha-admin-0123456789abcdef";
  static final String B_ADMIN = "bravo-admin-0123456789abcdef";
  static final String A_READ = "alpha-read-0123456789abcdef";
  static final String B_READ = "bravo-read-0123456789abcdef";
  static final String A_INGEST = "alpha-ingest-0123456789abcdef";
  static final String B_INGEST = "bravo-ingest-0123456789abcdef";
  static final String ADMIN = "admin-token-0123456789abcdef";
  static final String RULES = """
      groups:
        - name: shop
          interval: 500ms
          rules:
            - record: job:queue_depth:max
              expr: max by (job) (queue_depth)
            - alert: QueueBacklog
              expr: queue_depth > 5
              for: 1s
              labels:
                severity: critical
              annotations:
                summary: "Queue backlog on {{ $labels.job }}: {{ $value }}"
      """;

  @TempDir
  Path dir;

  final List<JsonNode> pages = new CopyOnWriteArrayList<>();

  @Test
  void tenants_alertPageAndSilenceOnlyTheirOwn() throws Exception {
    HttpServer pagerDuty = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    pagerDuty.createContext("/v2/enqueue", ex -> {
      pages.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
      byte[] ok = "{\"status\":\"success\"}".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(202, ok.length);
      ex.getResponseBody().write(ok);
      ex.close();
    });
    pagerDuty.start();
    Path rules = dir.resolve("rules");
    Files.createDirectories(rules.resolve("alpha"));
    Files.createDirectories(rules.resolve("bravo"));
    Files.writeString(rules.resolve("alpha/shop.yml"), RULES);
    Files.writeString(rules.resolve("bravo/shop.yml"), RULES);
    String notifier = """
        route:
          receiver: oncall
          group_by: [alertname, job]
          group_wait: 1s
          group_interval: 1s
          repeat_interval: 1h
        receivers:
          - name: oncall
            pagerduty_configs:
              - routing_key: test-key
                url: http://127.0.0.1:%d/v2/enqueue
        """.formatted(pagerDuty.getAddress().getPort());
    SextantServerBuilder builder = SextantServer.builder().dataDir(dir.resolve("data"))
        .bindAddress("127.0.0.1").grpcPort(0).otlpHttpPort(0).httpPort(0)
        .accessPolicy(policy()).tenantRulesDir(rules).notifierConfig(notifier)
        .evaluationInterval(Duration.ofSeconds(1));
    String bravoSilence;
    String alphaSilence;
    String bravoDedup;
    int checks = 0;
    try {
      try (SextantServer server = builder.build()) {
        server.start();
        Api api = new Api(server);
        // Both tenants loaded the same rules; alpha silences the alert name before anything.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
          assertThat(api.get("/api/v1/rules", A_READ).contentUtf8()).contains("QueueBacklog");
          assertThat(api.get("/api/v1/rules", B_READ).contentUtf8()).contains("QueueBacklog");
        });
        alphaSilence = api.silence(A_ADMIN, "alertname=QueueBacklog", "alpha-silence-marker");
        // Same service and metric names; evidence traces differ per tenant.
        byte[] alphaTrace = OtlpRequests.randomId(16);
        byte[] bravoTrace = OtlpRequests.randomId(16);
        api.ingest("/v1/traces", OtlpRequests.trace(alphaTrace, 3, "shop").toByteArray(),
            A_INGEST);
        api.ingest("/v1/traces", OtlpRequests.trace(bravoTrace, 3, "shop").toByteArray(),
            B_INGEST);
        // Evidence is searched when the page is rendered: make sure the traces are searchable.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
          assertThat(api.get("/api/search?service=shop", A_READ).contentUtf8())
              .contains(HexFormat.of().formatHex(alphaTrace));
          assertThat(api.get("/api/search?service=shop", B_READ).contentUtf8())
              .contains(HexFormat.of().formatHex(bravoTrace));
        });
        api.ingest("/v1/metrics", ChildServers.queueDepth(1).toByteArray(), A_INGEST);
        api.ingest("/v1/metrics", ChildServers.queueDepth(12).toByteArray(), B_INGEST);

        await().atMost(Duration.ofSeconds(60)).until(() -> pages.size() >= 1);
        JsonNode page = pages.get(0);
        assertThat(page.get("event_action").asText()).isEqualTo("trigger");
        JsonNode payload = page.get("payload");
        assertThat(payload.get("summary").asText()).startsWith("[bravo] QueueBacklog");
        assertThat(payload.get("custom_details").get("tenant").asText()).isEqualTo("bravo");
        String evidence = payload.get("custom_details").get("evidence").toString();
        assertThat(evidence).contains(HexFormat.of().formatHex(bravoTrace))
            .doesNotContain(HexFormat.of().formatHex(alphaTrace));
        // The dedup key is bravo's own: the same group in alpha or the default tenant differs.
        String href = page.get("links").findValuesAsText("href").stream()
            .filter(h -> h.contains("/alerts?group=")).findFirst().orElseThrow();
        String group = URLDecoder.decode(href.substring(href.indexOf("group=") + 6),
            StandardCharsets.UTF_8);
        bravoDedup = page.get("dedup_key").asText();
        assertThat(bravoDedup).isEqualTo(PagerDutyReceiver.dedupKey("bravo", "oncall", group))
            .isNotEqualTo(PagerDutyReceiver.dedupKey("alpha", "oncall", group))
            .isNotEqualTo(PagerDutyReceiver.dedupKey("oncall", group));

        assertThat(api.get("/api/v1/alerts", B_READ).contentUtf8())
            .contains("QueueBacklog").contains("\"state\":\"firing\"");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
            assertThat(api.get("/api/alerts/audit", B_READ).contentUtf8())
                .contains("delivered").contains(bravoDedup));
        // Recording rules wrote into each tenant's own store, from its own data.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
          assertThat(api.query("job:queue_depth:max", B_READ)).contains("\"12\"");
          assertThat(api.query("job:queue_depth:max", A_READ)).contains("\"1\"");
        });
        bravoSilence = api.silence(B_ADMIN, "alertname=OtherAlert", "bravo-silence-marker");
        assertThat(api.call(HttpMethod.DELETE, "/api/v2/silence/" + bravoSilence, A_ADMIN, null)
            .status().code()).isEqualTo(404); // alpha cannot expire bravo's silence
        assertThat(api.get("/api/v2/silences", B_READ).contentUtf8())
            .contains("bravo-silence-marker").doesNotContain("alpha-silence-marker");
        // The UI's silence form acts for the session's tenant too, and needs an admin.
        String form = "matchers=" + URLEncoder.encode("job=\"shop\"", StandardCharsets.UTF_8)
            + "&duration=1h&createdBy=ui&comment=alpha-ui-silence";
        assertThat(api.form("/ui/alerts/silences", A_READ, form).status().code()).isEqualTo(403);
        assertThat(api.form("/ui/alerts/silences", A_ADMIN, form).status().code()).isEqualTo(303);
        assertThat(api.get("/api/v2/silences", A_READ).contentUtf8()).contains("alpha-ui-silence");
        assertThat(api.get("/api/v2/silences", B_READ).contentUtf8())
            .doesNotContain("alpha-ui-silence");
        assertThat(api.form("/ui/alerts/silences/" + bravoSilence + "/expire", A_ADMIN, "")
            .headers().get("location")).contains("error=");
        checks += 6;

        // Several evaluations later alpha still has nothing firing and nothing of bravo's.
        Thread.sleep(2000);
        checks += api.alphaSeesNothingOfBravo(bravoSilence, bravoDedup);
        checks += api.backtests();
        checks += api.reloads(rules);
        assertThat(pages).allSatisfy(p -> assertThat(p.toString()).doesNotContain("alpha"));
      }

      // Restart: each tenant's alerts, silences and deliveries are still its own.
      int pagesBefore = pages.size();
      try (SextantServer server = builder.build()) {
        server.start();
        Api api = new Api(server);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
            assertThat(api.get("/api/v1/alerts", B_READ).contentUtf8())
                .contains("\"state\":\"firing\""));
        assertThat(api.get("/api/v2/silences", B_READ).contentUtf8()).contains(bravoSilence)
            .doesNotContain(alphaSilence);
        assertThat(api.get("/api/v2/silences", A_READ).contentUtf8()).contains(alphaSilence)
            .doesNotContain(bravoSilence);
        assertThat(api.get("/api/alerts/audit", B_READ).contentUtf8()).contains(bravoDedup);
        Thread.sleep(3000); // group_interval 1s: a duplicate would have been sent by now
        checks += api.alphaSeesNothingOfBravo(bravoSilence, bravoDedup);
        assertThat(pages.size()).as("pages after restart: %s", pages).isEqualTo(pagesBefore);
      }
      System.out.println("TenantAlertingTest: 2 tenants x 2 rules, " + pages.size()
          + " page(s), " + checks + " responses checked");
    } finally {
      pagerDuty.stop(0);
    }
  }

  @Test
  void tenantNotifier_routesThatTenantsPagesByItsOwnConfig() throws Exception {
    HttpServer pagerDuty = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    pagerDuty.createContext("/v2/enqueue", ex -> {
      pages.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
      ex.sendResponseHeaders(202, -1);
      ex.close();
    });
    pagerDuty.start();
    Path rules = dir.resolve("rules");
    for (String t : List.of("alpha", "bravo")) {
      Files.createDirectories(rules.resolve(t));
      Files.writeString(rules.resolve(t).resolve("shop.yml"), RULES);
    }
    String pd = "{url: 'http://127.0.0.1:" + pagerDuty.getAddress().getPort() + "/v2/enqueue', "
        + "routing_key: %s}";
    String shared = "route: {receiver: oncall, group_wait: 1s, group_interval: 1s}\n"
        + "receivers: [{name: oncall, pagerduty_configs: [" + pd.formatted("shared-key") + "]}]\n";
    String bravo = "route: {receiver: bravo-oncall, group_wait: 1s, group_interval: 1s}\n"
        + "receivers: [{name: bravo-oncall, pagerduty_configs: [" + pd.formatted("bravo-key")
        + "]}]\n";
    SextantServerBuilder builder = SextantServer.builder().dataDir(dir.resolve("data"))
        .bindAddress("127.0.0.1").grpcPort(0).otlpHttpPort(0).httpPort(0)
        .tenantRulesDir(rules).notifierConfig(shared).evaluationInterval(Duration.ofSeconds(1))
        .enableAdminApi(true); // anonymous backtests below
    try {
      try (SextantServer broken = builder.tenantNotifierConfig("bravo", "route: {}\n").build()) {
        Assertions.assertThatThrownBy(broken::start)
            .hasMessageContaining("alerting.tenantNotifiers.bravo: ");
      }
      try (SextantServer server = builder.tenantNotifierConfig("bravo", bravo).build()) {
        server.start();
        for (String t : List.of("alpha", "bravo")) {
          assertThat(SecuredServers.post(server.otlpHttpPort(), "/v1/metrics",
              ChildServers.queueDepth(12).toByteArray(), "x-scope-orgid", t).status().code())
              .isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> pages.size() >= 2);
        Thread.sleep(2000); // group_interval 1s: any page to a wrong key would be here by now
        assertThat(pages).hasSize(2);
        for (JsonNode p : pages) {
          String tenant = p.get("payload").get("custom_details").get("tenant").asText();
          assertThat(p.get("routing_key").asText()).as(p.toString())
              .isEqualTo(tenant.equals("bravo") ? "bravo-key" : "shared-key");
        }
        assertThat(pages).extracting(p -> p.get("payload").get("custom_details").get("tenant")
            .asText()).containsExactlyInAnyOrder("alpha", "bravo");
        // A backtest replays with the caller's tenant's routing.
        long now = System.currentTimeMillis() / 1000;
        AggregatedHttpResponse bt = WebClient.of("http://127.0.0.1:" + server.httpPort())
            .execute(RequestHeaders.builder(HttpMethod.POST, "/api/alerts/backtest?from="
                + (now - 120) + "&to=" + now + "&step=1s").add("x-scope-orgid", "bravo")
                .contentType(MediaType.parse("application/yaml")).build(), RULES)
            .aggregate().join();
        assertThat(bt.status().code()).as(bt.contentUtf8()).isEqualTo(200);
        assertThat(JSON.readTree(bt.contentUtf8()).get("pages").toString())
            .contains("bravo-oncall");
      }
    } finally {
      pagerDuty.stop(0);
    }
  }

  static AccessPolicy policy() {
    return AccessPolicy.builder()
        .token("admin", ADMIN, Role.ADMIN, "default")
        .token("alpha-admin", A_ADMIN, Role.ADMIN, "alpha")
        .token("bravo-admin", B_ADMIN, Role.ADMIN, "bravo")
        .token("alpha-read", A_READ, Role.READ, "alpha")
        .token("bravo-read", B_READ, Role.READ, "bravo")
        .token("alpha-ingest", A_INGEST, Role.INGEST, "alpha")
        .token("bravo-ingest", B_INGEST, Role.INGEST, "bravo")
        .build();
  }

  /** Calls to one running server. */
  private static final class Api {
    final SextantServer server;
    final WebClient http;

    Api(SextantServer server) {
      this.server = server;
      this.http = WebClient.of("http://127.0.0.1:" + server.httpPort());
    }

    AggregatedHttpResponse call(HttpMethod method, String path, String token, String body) {
      RequestHeaders h = RequestHeaders.builder(method, path)
          .add("authorization", "Bearer " + token).contentType(MediaType.JSON_UTF_8).build();
      return http.execute(h, body == null ? "" : body).aggregate().join();
    }

    AggregatedHttpResponse form(String path, String token, String body) {
      RequestHeaders h = RequestHeaders.builder(HttpMethod.POST, path)
          .add("authorization", "Bearer " + token)
          .contentType(MediaType.FORM_DATA).build();
      return http.execute(h, body).aggregate().join();
    }

    AggregatedHttpResponse get(String path, String token) {
      return call(HttpMethod.GET, path, token, null);
    }

    String query(String expr, String token) {
      return get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8), token)
          .contentUtf8();
    }

    void ingest(String path, byte[] body, String token) {
      assertThat(SecuredServers.post(server.otlpHttpPort(), path, body,
          "authorization", "Bearer " + token).status().code()).isEqualTo(200);
    }

    String silence(String token, String matcher, String comment) throws Exception {
      String[] kv = matcher.split("=");
      String body = """
          {"matchers":[{"name":"%s","value":"%s","isRegex":false,"isEqual":true}],
           "startsAt":"%s","endsAt":"%s","createdBy":"test","comment":"%s"}"""
          .formatted(kv[0], kv[1], Instant.now().minusSeconds(60),
              Instant.now().plus(Duration.ofHours(2)), comment);
      AggregatedHttpResponse r = call(HttpMethod.POST, "/api/v2/silences", token, body);
      assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(200);
      return JSON.readTree(r.contentUtf8()).get("silenceID").asText();
    }

    /** Every alerting read of alpha's, free of bravo's state; returns the responses checked. */
    int alphaSeesNothingOfBravo(String bravoSilence, String bravoDedup) {
      List<String> paths = List.of("/api/v1/rules", "/api/v1/rules?type=alert",
          "/api/v1/rules?type=record", "/api/v1/alerts", "/api/v2/silences",
          "/api/alerts/audit", "/api/alerts/audit?limit=10000", "/ui/alerts",
          "/ui/alerts?state=firing", "/api/v1/query?query=ALERTS",
          "/api/v1/query?query=ALERTS_FOR_STATE",
          "/api/v1/query?query=" + URLEncoder.encode("job:queue_depth:max > 5",
              StandardCharsets.UTF_8));
      for (String p : paths) {
        AggregatedHttpResponse r = get(p, A_READ);
        String body = r.contentUtf8();
        assertThat(r.status().code()).as(p + ": " + body).isEqualTo(200);
        assertThat(body).as("alpha reading " + p).doesNotContain("\"state\":\"firing\"")
            .doesNotContain("\"state\":\"pending\"").doesNotContain(bravoSilence)
            .doesNotContain("bravo").doesNotContain(bravoDedup.substring(0, 12));
        if (p.startsWith("/api/")) {
          assertThat(body).as("alpha reading " + p).doesNotContain("\"12\"");
        }
      }
      assertThat(get("/api/v1/rules", A_READ).contentUtf8()).contains("QueueBacklog")
          .contains("\"health\":\"ok\"");
      assertThat(get("/api/v1/alerts", A_READ).contentUtf8()).doesNotContain("QueueBacklog");
      assertThat(get("/api/alerts/audit", A_READ).contentUtf8()).doesNotContain("delivered");
      assertThat(get("/ui/alerts", A_READ).contentUtf8()).contains("QueueBacklog")
          .contains("alpha-silence-marker");
      return paths.size() + 4;
    }

    /** Backtests query the caller's tenant only; returns the responses checked. */
    int backtests() throws Exception {
      long now = System.currentTimeMillis() / 1000;
      String path = "/api/alerts/backtest?from=" + (now - 120) + "&to=" + now + "&step=1s";
      JsonNode b = JSON.readTree(call(HttpMethod.POST, path, B_READ, RULES).contentUtf8());
      assertThat(b.get("timeline").toString()).contains("QueueBacklog").contains("firing");
      AggregatedHttpResponse a = call(HttpMethod.POST, path, A_READ, RULES);
      assertThat(a.status().code()).as(a.contentUtf8()).isEqualTo(200);
      assertThat(JSON.readTree(a.contentUtf8()).get("timeline").size()).isZero();
      assertThat(JSON.readTree(a.contentUtf8()).get("pages").size()).isZero();
      return 2;
    }

    /** A tenant's admin reloads that tenant's rules only; returns the responses checked. */
    int reloads(Path rules) throws Exception {
      Files.writeString(rules.resolve("alpha/extra.yaml"), """
          groups:
            - name: alpha-extra
              rules:
                - record: alpha:only
                  expr: vector(1)
          """);
      AggregatedHttpResponse r = call(HttpMethod.POST, "/-/reload", A_ADMIN, null);
      assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(200);
      assertThat(r.contentUtf8()).contains("tenant alpha");
      assertThat(get("/api/v1/rules", A_READ).contentUtf8()).contains("alpha:only");
      assertThat(get("/api/v1/rules", B_READ).contentUtf8()).doesNotContain("alpha:only");
      // A broken file in bravo's directory: bravo's reload refuses, its rules stay; alpha's fine.
      Files.writeString(rules.resolve("bravo/broken.yml"), "groups: [{name: x, rules: [{}]}]\n");
      AggregatedHttpResponse broken = call(HttpMethod.POST, "/-/reload", B_ADMIN, null);
      assertThat(broken.status().code()).as(broken.contentUtf8()).isEqualTo(400);
      assertThat(broken.contentUtf8()).contains("broken.yml");
      assertThat(call(HttpMethod.POST, "/-/reload", A_ADMIN, null).status().code())
          .isEqualTo(200);
      assertThat(get("/api/v1/rules", B_READ).contentUtf8()).contains("QueueBacklog");
      Files.delete(rules.resolve("bravo/broken.yml"));
      // The default tenant's admin (a token with no tenant) reloads the default tenant.
      AggregatedHttpResponse d = call(HttpMethod.POST, "/-/reload", ADMIN, null);
      assertThat(d.status().code()).isEqualTo(200);
      assertThat(d.contentUtf8()).contains("tenant default");
      assertThat(call(HttpMethod.POST, "/-/reload", A_READ, null).status().code())
          .isEqualTo(403);
      return 7;
    }
  }
}
