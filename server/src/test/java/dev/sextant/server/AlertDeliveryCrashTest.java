package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.sun.net.httpserver.HttpServer;
import dev.sextant.server.internal.FreePorts;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PagerDuty is down (503) when an alert fires; the server is killed with SIGKILL during the
 * outage and restarted; when PagerDuty recovers the page arrives exactly once.
 */
class AlertDeliveryCrashTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void sigkillDuringReceiverOutage_pageArrivesExactlyOnce() throws Exception {
    AtomicBoolean outage = new AtomicBoolean(true);
    AtomicInteger refused = new AtomicInteger();
    List<JsonNode> delivered = new CopyOnWriteArrayList<>();
    HttpServer pagerDuty = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    pagerDuty.createContext("/v2/enqueue", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      if (outage.get()) {
        refused.incrementAndGet();
        ex.sendResponseHeaders(503, -1);
      } else {
        delivered.add(JSON.readTree(body));
        byte[] ok = "{\"status\":\"success\"}".getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(202, ok.length);
        ex.getResponseBody().write(ok);
      }
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
                for: 1s
                labels: { severity: critical }
                annotations:
                  playbook: "https://wiki.example/playbooks/queue-backlog"
        """);
    Path config = Files.writeString(dir.resolve("sextant.yml"), """
        alerting:
          rules: ["%s"]
          evaluationInterval: 1s
          notifier:
            route: { receiver: oncall, group_by: [alertname], group_wait: 1s,
                     group_interval: 1s, repeat_interval: 1h }
            receivers:
              - name: oncall
                pagerduty_configs:
                  - routing_key: crash-key
                    url: http://127.0.0.1:%d/v2/enqueue
        """.formatted(rules, pagerDuty.getAddress().getPort()));
    Path data = dir.resolve("data");
    try {
      int grpc = FreePorts.resolve("127.0.0.1", 0);
      int http = FreePorts.resolve("127.0.0.1", 0);
      Process first = start(config, data, grpc, http);
      try {
        ChildServers.awaitHealthy(http, first);
        GrpcClients.newClient("http://127.0.0.1:" + grpc,
            MetricsServiceGrpc.MetricsServiceBlockingStub.class)
            .export(ChildServers.queueDepth(12));
        // The page is in the durable outbox once delivery has been tried and refused.
        await().atMost(Duration.ofSeconds(60)).until(() -> refused.get() >= 1);
      } finally {
        first.destroyForcibly(); // SIGKILL during the outage
        first.waitFor(30, TimeUnit.SECONDS);
      }
      outage.set(false);
      int http2 = FreePorts.resolve("127.0.0.1", 0);
      Process second = start(config, data, FreePorts.resolve("127.0.0.1", 0), http2);
      try {
        ChildServers.awaitHealthy(http2, second);
        await().atMost(Duration.ofSeconds(60)).until(() -> !delivered.isEmpty());
        Thread.sleep(5000); // room for a duplicate to show up, if there were one
        System.out.println("refused during outage: " + refused.get() + ", delivered: "
            + delivered);
        assertThat(delivered).hasSize(1);
        assertThat(delivered.get(0).get("event_action").asText()).isEqualTo("trigger");
        assertThat(delivered.get(0).get("routing_key").asText()).isEqualTo("crash-key");
      } finally {
        second.destroy();
        second.waitFor(30, TimeUnit.SECONDS);
      }
    } finally {
      pagerDuty.stop(0);
    }
  }

  private static Process start(Path config, Path data, int grpc, int http) throws Exception {
    return new ProcessBuilder(ChildServers.javaBin(), "-cp",
        System.getProperty("java.class.path"),
        "dev.sextant.server.cli.Main", "server", "--config", config.toString(),
        "--data-dir", data.toString(), "--grpc-port", String.valueOf(grpc),
        "--otlp-http-port", "0", "--http-port", String.valueOf(http), "--log-level", "WARN")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
  }


}
