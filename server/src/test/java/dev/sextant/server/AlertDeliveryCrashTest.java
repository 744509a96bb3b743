package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert outbox across SIGKILLs. PagerDuty is down (503) when an alert fires; the server is
 * killed at random moments several times during the outage and restarted each time; when
 * PagerDuty recovers the page arrives exactly once. A kill after delivery sends no second page,
 * and the resolve arrives once, on the same {@code dedup_key}.
 *
 * <p>3 kills during the outage in {@code mvn verify}; 10 with {@code -Dsextant.soak=true}.
 */
class AlertDeliveryCrashTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int OUTAGE_KILLS = Boolean.getBoolean("sextant.soak") ? 10 : 3;
  private static final List<String> JVM = List.of("-Xmx384m", "-XX:+UseSerialGC");

  @TempDir
  Path dir;

  @Test
  void sigkillsDuringReceiverOutage_pageArrivesExactlyOnce() throws Exception {
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
    Path config = writeConfig(pagerDuty.getAddress().getPort());
    Path data = dir.resolve("data");
    int starts = 0;
    try {
      try (SextantChild first = start(config, data, ++starts)) {
        export(first, 12);
        // The page is in the durable outbox once delivery has been tried and refused.
        await().atMost(Duration.ofSeconds(60)).until(() -> refused.get() >= 1);
        first.kill();
      }
      for (int kill = 2; kill <= OUTAGE_KILLS; kill++) {
        try (SextantChild child = start(config, data, ++starts)) {
          Thread.sleep(ThreadLocalRandom.current().nextLong(500, 3000));
          child.kill(); // at a random moment: before, during or after a retry
        }
      }
      int refusedDuringOutage = refused.get();
      outage.set(false);
      try (SextantChild child = start(config, data, ++starts)) {
        await().atMost(Duration.ofSeconds(120)).until(() -> !delivered.isEmpty());
        Thread.sleep(3000); // room for a duplicate to show up, if there were one
        child.kill(); // after delivery
      }
      try (SextantChild child = start(config, data, ++starts)) {
        Thread.sleep(5000); // a restart must not page again
        assertThat(delivered).hasSize(1);
        export(child, 0); // the alert clears
        await().atMost(Duration.ofSeconds(60)).until(() -> delivered.size() >= 2);
        Thread.sleep(3000);
        child.stop();
      }
      System.out.printf("alert outbox: %d SIGKILLs during the outage (%d refused attempts),"
          + " 1 after delivery, %d server starts; delivered: %s%n", OUTAGE_KILLS,
          refusedDuringOutage, starts, delivered.stream()
              .map(d -> d.get("event_action").asText()).toList());
      assertThat(delivered).extracting(d -> d.get("event_action").asText())
          .containsExactly("trigger", "resolve");
      assertThat(delivered.get(0).get("routing_key").asText()).isEqualTo("crash-key");
      assertThat(delivered.get(1).get("dedup_key").asText())
          .isEqualTo(delivered.get(0).get("dedup_key").asText());
    } finally {
      pagerDuty.stop(0);
    }
  }

  private Path writeConfig(int pagerDutyPort) throws IOException {
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
    return Files.writeString(dir.resolve("sextant.yml"), """
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
        """.formatted(rules, pagerDutyPort));
  }

  private SextantChild start(Path config, Path data, int n) throws Exception {
    return SextantChild.start(List.of(), JVM, data, config, dir.resolve("server-" + n + ".log"));
  }

  private static void export(SextantChild child, double queueDepth) {
    GrpcClients.newClient("http://127.0.0.1:" + child.grpcPort,
        MetricsServiceGrpc.MetricsServiceBlockingStub.class)
        .export(ChildServers.queueDepth(queueDepth));
  }
}
