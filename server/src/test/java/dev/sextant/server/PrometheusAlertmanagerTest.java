package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's 2.42) with Sextant as its Alertmanager: its rule fires → it posts
 * the alert to Sextant's {@code /api/v2/alerts} → Sextant routes it to a receiver with two
 * integrations, a local HTTP server playing PagerDuty and a webhook → the rule stops firing →
 * Prometheus posts the resolved alert → both integrations get the resolve, PagerDuty's with the
 * trigger's dedup_key.
 */
class PrometheusAlertmanagerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;
  final List<JsonNode> pages = new CopyOnWriteArrayList<>();
  final List<JsonNode> hooks = new CopyOnWriteArrayList<>();
  final AtomicInteger depth = new AtomicInteger(12);
  HttpServer receivers;
  HttpServer app;
  Process prometheus;

  @AfterEach
  void stop() throws Exception {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly();
      }
    }
    if (receivers != null) {
      receivers.stop(0);
    }
    if (app != null) {
      app.stop(0);
    }
  }

  private void startReceivers() throws IOException {
    receivers = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receivers.createContext("/v2/enqueue", ex -> {
      pages.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
      ex.sendResponseHeaders(202, -1);
      ex.close();
    });
    receivers.createContext("/hook", ex -> {
      hooks.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    receivers.start();
    // The application Prometheus scrapes: a queue depth the test turns down later.
    app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    app.createContext("/metrics", ex -> {
      byte[] b = ("# TYPE queue_depth gauge\nqueue_depth " + depth.get() + "\n")
          .getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    app.start();
  }

  @Test
  void prometheusAlerts_routedToPagerDutyAndWebhookAndResolved() throws Exception {
    Path binary = Peers.binary("prometheus", "prometheus");
    startReceivers();
    int rp = receivers.getAddress().getPort();
    String notifier = """
        route:
          receiver: oncall
          group_by: [alertname]
          group_wait: 1s
          group_interval: 1s
          repeat_interval: 1h
        receivers:
          - name: oncall
            pagerduty_configs:
              - routing_key: test-key
                url: http://127.0.0.1:%1$d/v2/enqueue
            webhook_configs:
              - url: http://127.0.0.1:%1$d/hook
        """.formatted(rp);
    try (SextantServer server = SextantServer.builder().dataDir(dir.resolve("data"))
        .bindAddress("127.0.0.1").grpcPort(0).otlpHttpPort(0).httpPort(0)
        .notifierConfig(notifier).build()) {
      server.start();
      Files.writeString(dir.resolve("rules.yml"), """
          groups:
            - name: shop
              interval: 1s
              rules:
                - alert: QueueBacklog
                  expr: queue_depth > 5
                  labels:
                    severity: critical
                  annotations:
                    summary: "Queue backlog on {{ $labels.job }}"
          """);
      Files.writeString(dir.resolve("prometheus.yml"), """
          global:
            scrape_interval: 1s
            scrape_timeout: 1s
            evaluation_interval: 1s
          rule_files: [%s]
          alerting:
            alertmanagers:
              - static_configs:
                  - targets: ['127.0.0.1:%d']
          scrape_configs:
            - job_name: shop
              static_configs:
                - targets: ['127.0.0.1:%d']
          """.formatted(dir.resolve("rules.yml"), server.httpPort(), app.getAddress().getPort()));
      prometheus = new ProcessBuilder(binary.toString(),
          "--config.file=" + dir.resolve("prometheus.yml"),
          "--storage.tsdb.path=" + dir.resolve("prom"),
          "--web.listen-address=127.0.0.1:0")
          .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile())
          .start();

      await().atMost(Duration.ofSeconds(90)).until(() -> !pages.isEmpty() && !hooks.isEmpty());
      JsonNode trigger = pages.get(0);
      assertThat(trigger.get("event_action").asText()).isEqualTo("trigger");
      assertThat(trigger.get("routing_key").asText()).isEqualTo("test-key");
      assertThat(trigger.get("payload").get("summary").asText()).contains("Queue backlog on shop");
      assertThat(trigger.get("payload").get("severity").asText()).isEqualTo("critical");
      JsonNode hook = hooks.get(0);
      assertThat(hook.get("status").asText()).isEqualTo("firing");
      JsonNode alert = hook.get("alerts").get(0);
      assertThat(alert.get("labels").get("alertname").asText()).isEqualTo("QueueBacklog");
      assertThat(alert.get("labels").get("job").asText()).isEqualTo("shop");
      // Prometheus's own link to the rule's expression came along.
      assertThat(alert.get("generatorURL").asText()).contains("/graph?g0.expr=");
      JsonNode listed = TestClient.get(server.httpPort(), "/api/v2/alerts").json();
      assertThat(listed).singleElement().satisfies(a -> {
        assertThat(a.get("labels").get("alertname").asText()).isEqualTo("QueueBacklog");
        assertThat(a.get("receivers").get(0).get("name").asText()).isEqualTo("oncall");
        assertThat(a.get("status").get("state").asText()).isEqualTo("active");
      });

      depth.set(1); // the rule stops firing; Prometheus posts the alert with its endsAt
      await().atMost(Duration.ofSeconds(90)).until(() ->
          pages.stream().anyMatch(p -> p.get("event_action").asText().equals("resolve"))
          && hooks.stream().anyMatch(h -> h.get("status").asText().equals("resolved")));
      JsonNode resolve = pages.stream()
          .filter(p -> p.get("event_action").asText().equals("resolve")).findFirst().orElseThrow();
      assertThat(resolve.get("dedup_key").asText()).isEqualTo(trigger.get("dedup_key").asText());
      assertThat(pages.stream().filter(p -> p.get("event_action").asText().equals("trigger")))
          .hasSize(1);
      assertThat(TestClient.get(server.httpPort(), "/api/v2/alerts").json()).isEmpty();
    } catch (AssertionError | RuntimeException e) {
      Path log = dir.resolve("prometheus.log");
      if (Files.exists(log)) { // what Prometheus said, for whoever reads the failure
        System.err.println(Files.readString(log));
      }
      throw e;
    }
  }
}
