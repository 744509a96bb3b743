package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.sun.net.httpserver.HttpServer;
import dev.sextant.collector.scrape.ScrapeConfig;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.exporter.HTTPServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metrics arrive over OTLP and by scraping → the rules go pending, then firing after
 * {@code for} → a local HTTP server playing PagerDuty refuses (503) for a while, then receives
 * each trigger once, with its playbook link and trace evidence → the condition clears → the
 * resolve arrives with the same dedup_key.
 */
class AlertingEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void otlpMetricsFireAndResolveAPagerDutyIncident() throws Exception {
    List<JsonNode> pages = new CopyOnWriteArrayList<>();
    AtomicInteger refusals = new AtomicInteger();
    HttpServer pagerDuty = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    pagerDuty.createContext("/v2/enqueue", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      if (refusals.getAndIncrement() < 3) { // PagerDuty has a bad minute: 503, then recovers
        ex.sendResponseHeaders(503, -1);
        ex.close();
        return;
      }
      pages.add(JSON.readTree(body));
      byte[] ok = "{\"status\":\"success\"}".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(202, ok.length);
      ex.getResponseBody().write(ok);
      ex.close();
    });
    pagerDuty.start();
    Path rules = Files.writeString(dir.resolve("rules.yml"), """
        groups:
          - name: shop
            interval: 1s
            rules:
              - alert: QueueBacklog
                expr: queue_depth > 5
                for: 2s
                labels:
                  severity: critical
                annotations:
                  summary: "Queue backlog on {{ $labels.job }}"
                  description: "Depth is {{ $value }}"
                  playbook: "https://wiki.example/playbooks/queue-backlog"
              - alert: HighErrorRate
                expr: rate(http_errors_total[5m]) > 0.05 or http_errors_total > 3
                for: 1s
                labels:
                  severity: warning
                annotations:
                  summary: "Errors on {{ $labels.endpoint }}"
                  runbook_url: "https://wiki.example/playbooks/high-error-rate"
        """);
    // An app instrumented with the Prometheus Java client, scraped by Sextant.
    CollectorRegistry registry = new CollectorRegistry();
    Counter.build("http_errors_total", "Errors").labelNames("endpoint")
        .register(registry).labels("/api/orders").inc(7);
    HTTPServer app = new HTTPServer(
        new InetSocketAddress("127.0.0.1", 0), registry, true);
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
    try (SextantServer server = SextantServer.builder().dataDir(dir.resolve("data"))
        .bindAddress("127.0.0.1").grpcPort(0).otlpHttpPort(0).httpPort(0)
        .ruleFiles(List.of(rules.toString())).notifierConfig(notifier)
        .scrapeConfigs(List.of(new ScrapeConfig("web",
            List.of("127.0.0.1:" + app.getPort()), Duration.ofMillis(500),
            Duration.ofMillis(500), "/metrics", "http")))
        .evaluationInterval(Duration.ofSeconds(1))
        .enableAdminApi(true) // silences, reload and backtests without auth
        .build()) {
      server.start();
      var metrics = GrpcClients.newClient("http://127.0.0.1:" + server.grpcPort(),
          MetricsServiceGrpc.MetricsServiceBlockingStub.class);
      // A failed trace of the same service, to show up as evidence in the page.
      GrpcClients.newClient("http://127.0.0.1:" + server.grpcPort(),
          TraceServiceGrpc.TraceServiceBlockingStub.class)
          .export(OtlpRequests.trace(OtlpRequests.randomId(16), 3, "shop"));
      metrics.export(ChildServers.queueDepth(12));
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(TestClient.get(server.httpPort(), "/api/v1/alerts").body())
              .contains("\"state\":\"pending\""));
      await().atMost(Duration.ofSeconds(60)).until(() -> pages.size() >= 2);
      assertThat(refusals.get()).isGreaterThan(3); // the 503s were retried, not dropped
      JsonNode scraped = pages.stream().filter(p -> p.toString().contains("HighErrorRate"))
          .findFirst().orElseThrow();
      assertThat(scraped.get("event_action").asText()).isEqualTo("trigger");
      assertThat(scraped.get("payload").get("summary").asText()).contains("/api/orders");
      assertThat(scraped.get("links").toString())
          .contains("https://wiki.example/playbooks/high-error-rate");
      JsonNode trigger = pages.stream().filter(p -> p.toString().contains("QueueBacklog"))
          .findFirst().orElseThrow();
      assertThat(trigger.get("event_action").asText()).isEqualTo("trigger");
      assertThat(trigger.get("routing_key").asText()).isEqualTo("test-key");
      assertThat(trigger.get("payload").get("summary").asText()).contains("Queue backlog on shop");
      assertThat(trigger.get("payload").get("severity").asText()).isEqualTo("critical");
      assertThat(trigger.get("links").toString())
          .contains("https://wiki.example/playbooks/queue-backlog");
      assertThat(trigger.get("payload").get("custom_details").toString()).contains("evidence");
      // The page's evidence traces are pinned for its incident (the dedup key), kept while open.
      String incident = trigger.get("dedup_key").asText();
      assertThat(trigger.get("payload").get("custom_details").get("evidence").get("traces"))
          .isNotEmpty();
      assertThat(JSON.readTree(TestClient.get(server.httpPort(), "/api/pins").body())
          .get("pins")).filteredOn(p -> p.get("incidentId").asText().equals(incident))
          .isNotEmpty().allSatisfy(p -> {
            assertThat(p.get("pinnedBy").asText()).isEqualTo("alert");
            assertThat(p.get("reason").asText()).isEqualTo("evidence of QueueBacklog");
            assertThat(p.get("spans").asInt()).isPositive();
            assertThat(p.get("expiresAt").isNull()).isTrue();
          });
      assertThat(TestClient.get(server.httpPort(), "/api/v1/rules").body())
          .contains("QueueBacklog").contains("\"state\":\"firing\"");
      System.out.println("PagerDuty trigger: " + trigger);
      // The page's links lead somewhere: the query link opens the rule's expression in the UI.
      String query = trigger.get("links").findValuesAsText("href").stream()
          .filter(h -> h.contains("/graph?")).findFirst().orElseThrow();
      String path = query.substring(query.indexOf("/graph"));
      var followed = WebClient.builder(
          "http://127.0.0.1:" + server.httpPort()).followRedirects().build()
          .get(path).aggregate().join();
      assertThat(followed.status().code()).isEqualTo(200);
      assertThat(followed.contentUtf8()).contains("id=\"metrics-form\"", "queue_depth &gt; 5");

      // Keep the value fresh, then clear the condition.
      metrics.export(ChildServers.queueDepth(1));
      await().atMost(Duration.ofSeconds(60)).until(() -> pages.stream().anyMatch(p ->
          p.get("event_action").asText().equals("resolve")));
      JsonNode resolve = pages.stream().filter(p -> p.get("event_action").asText()
          .equals("resolve")).findFirst().orElseThrow();
      assertThat(resolve.get("event_action").asText()).isEqualTo("resolve");
      assertThat(resolve.get("dedup_key").asText()).isEqualTo(trigger.get("dedup_key").asText());
      // Resolved: the pins now expire the configured time (7 days by default) after it.
      assertThat(JSON.readTree(TestClient.get(server.httpPort(), "/api/pins").body())
          .get("pins")).filteredOn(p -> p.get("incidentId").asText().equals(incident))
          .isNotEmpty().allSatisfy(p -> assertThat(Duration.between(
              Instant.parse(p.get("resolvedAt").asText()),
              Instant.parse(p.get("expiresAt").asText()))).isEqualTo(Duration.ofDays(7)));
      assertThat(TestClient.get(server.httpPort(), "/api/alerts/audit").body())
          .contains("delivered");

      // Backtest the same rules over what is stored: the alert's firing shows in the timeline.
      long now = System.currentTimeMillis() / 1000;
      var bt = WebClient.of("http://127.0.0.1:" + server.httpPort())
          .execute(RequestHeaders.builder(
              HttpMethod.POST,
              "/api/alerts/backtest?from=" + (now - 120) + "&to=" + now + "&step=1s")
              .contentType(MediaType.parse("application/yaml"))
              .build(), Files.readString(rules)).aggregate().join();
      assertThat(bt.status().code()).as(bt.contentUtf8()).isEqualTo(200);
      JsonNode result = JSON.readTree(bt.contentUtf8());
      assertThat(result.get("timeline").toString()).contains("QueueBacklog").contains("firing");
      assertThat(result.get("pages").size()).isPositive();
      assertThat(TestClient.get(server.httpPort(), "/api/alerts/backtest").status())
          .isEqualTo(405);
      // Silenced in the replay: the alert still fires, but nobody would have been paged for it.
      var silenced = WebClient.of("http://127.0.0.1:"
          + server.httpPort()).execute(RequestHeaders.builder(
              HttpMethod.POST, "/api/alerts/backtest?from="
                  + (now - 120) + "&to=" + now + "&step=1s&silence=alertname%3D%22QueueBacklog%22")
              .contentType(MediaType.parse("application/yaml"))
              .build(), Files.readString(rules)).aggregate().join();
      JsonNode silencedResult = JSON.readTree(silenced.contentUtf8());
      assertThat(silencedResult.get("timeline").toString()).contains("QueueBacklog");
      assertThat(silencedResult.get("pages").toString()).doesNotContain("QueueBacklog");
    } finally {
      pagerDuty.stop(0);
      app.close();
    }
  }

}
