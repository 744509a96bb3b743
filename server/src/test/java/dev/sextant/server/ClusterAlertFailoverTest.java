package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.sun.net.httpserver.HttpServer;
import dev.sextant.cluster.testing.KafkaBroker;
import dev.sextant.server.cluster.ClusterSettings;
import dev.sextant.server.cluster.Role;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert role's failover through real processes: a real KRaft broker, a collector (in this
 * JVM) taking OTLP metrics into Kafka, two {@code sextant server} child JVMs with the roles
 * {@code store,alert}, and a local HTTP server standing in for PagerDuty Events v2. An incident
 * fires, PagerDuty gets the trigger, the leading alert node is SIGKILLed during the incident, the
 * other is elected and goes on from the replicated state: no second trigger, the silence made on
 * the dead leader holds, and when the condition clears exactly one resolve arrives, with the
 * trigger's {@code dedup_key}. On the follower the alert API answers 503 naming the leader.
 *
 * <p>Each alert node is also a store in its own store group (a full replica of every partition),
 * so whichever node leads has every series its rules select. Once alert-only nodes read the
 * stores remotely (ClusterReads.queryStorage), the stores and the alert nodes become separate
 * processes and only the alert nodes are killed.
 *
 * <p>One kill in {@code mvn verify}; 4 (the leader killed, restarted as a follower, the new
 * leader killed, ...) with {@code -Dsextant.soak=true}.
 */
class ClusterAlertFailoverTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(90);
  /**
   * As ClusterRolesTest's: both use the JVM's shared broker, and whichever runs first creates the
   * signal topics (ClusterRolesTest counts the partitions its store owns).
   */
  private static final int PARTITIONS = 4;
  private static final int KILLS = Boolean.getBoolean("sextant.soak") ? 4 : 1;
  private static final List<String> JVM = List.of("-Xmx384m", "-XX:TieredStopAtLevel=1");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir
  Path dir;

  @Test
  void alertLeaderSigkilledDuringIncident_otherTakesOver_oneTriggerOneResolveSameDedupKey()
      throws Exception {
    KafkaBroker kafka = KafkaBroker.shared();
    List<JsonNode> pages = new CopyOnWriteArrayList<>();
    HttpServer pagerDuty = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    pagerDuty.createContext("/v2/enqueue", ex -> {
      pages.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
      byte[] ok = "{\"status\":\"success\"}".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(202, ok.length);
      ex.getResponseBody().write(ok);
      ex.close();
    });
    pagerDuty.start();
    Node[] nodes = {new Node("a", kafka, pagerDuty), new Node("b", kafka, pagerDuty)};
    try (SextantServer collector = SextantServer.builder().dataDir(dir.resolve("collector"))
        .bindAddress("127.0.0.1").grpcPort(0).otlpHttpPort(0).httpPort(0)
        .spanMetricsInterval(Duration.ZERO)
        .cluster(new ClusterSettings(Set.of(Role.COLLECTOR), kafka.bootstrapServers(),
            PARTITIONS, (short) 1, true, "alert-failover-collector", null, null, List.of()))
        .build()) {
      collector.start();
      for (Node n : nodes) {
        n.start();
      }
      Node first = awaitLeader(nodes);
      Node follower = other(nodes, first);

      // The follower keeps the state warm and sends users to the leader.
      await().atMost(WAIT).untilAsserted(() -> {
        HttpResponse<String> r = send(follower, "GET", "/api/v1/alerts", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(r.headers().firstValue("retry-after")).isPresent();
        assertThat(r.headers().firstValue("x-sextant-alert-leader"))
            .hasValue("http://127.0.0.1:" + first.child.httpPort);
        assertThat(JSON.readTree(r.body()).get("leader").asText())
            .isEqualTo("http://127.0.0.1:" + first.child.httpPort);
      });
      String silence = silence("Unrelated");
      assertThat(send(follower, "POST", "/api/v2/silences", silence).statusCode())
          .isEqualTo(503);
      HttpResponse<String> made = send(first, "POST", "/api/v2/silences", silence);
      assertThat(made.statusCode()).as(made.body()).isEqualTo(200);
      String silenceId = JSON.readTree(made.body()).get("silenceID").asText();
      assertThat(TestClient.get(first.child.httpPort, "/metrics").body())
          .contains("sextant_cluster_alert_leader{tenant=\"default\"} 1.0",
              "sextant_cluster_alert_state_lag_records");
      assertThat(TestClient.get(follower.child.httpPort, "/metrics").body())
          .contains("sextant_cluster_alert_leader{tenant=\"default\"} 0.0");
      await().atMost(WAIT).until(() -> TestClient.get(follower.child.httpPort, "/health")
          .json().at("/checks/alerting/state_lag_records").asLong(-1) == 0);

      // The incident.
      export(collector, 12);
      await().atMost(WAIT).until(() -> pages.size() >= 1);
      // Killed once the delivery is recorded: the page left the outbox, and that replicated,
      // before the audit entry is written. Killed between PagerDuty's 202 and that, the next
      // leader would send the page again, under the same dedup_key (at-least-once, as a single
      // node's crash at that moment; docs/cluster-alerting.md).
      await().atMost(WAIT).until(() -> TestClient.get(first.child.httpPort,
          "/api/alerts/audit").body().contains("\"outcome\":\"delivered\""));

      Node leader = first;
      for (int kill = 1; kill <= KILLS; kill++) {
        long killedAt = System.nanoTime();
        leader.child.kill();
        Node dead = leader;
        leader = awaitLeader(nodes);
        assertThat(leader).isNotSameAs(dead);
        System.out.printf("alert failover %d: %s killed, %s leads after %d ms%n", kill, dead,
            leader, (System.nanoTime() - killedAt) / 1_000_000);
        Node now = leader;
        // The new leader evaluated the rule as firing, and went on through several evaluation
        // and group intervals (1s each): a second trigger would have been sent by then.
        await().atMost(WAIT).until(() -> firing(now));
        awaitEvaluations(now, 5);
        assertThat(pages).as("after kill %d", kill).hasSize(1);
        assertThat(TestClient.get(now.child.httpPort, "/api/v2/silences").body())
            .contains(silenceId);
        if (kill < KILLS) {
          dead.start(); // back as a follower, for the next kill
        }
      }

      // The condition clears: one resolve, from the node leading now.
      export(collector, 0);
      await().atMost(WAIT).until(() -> pages.size() >= 2);
      awaitEvaluations(leader, 5);
      System.out.printf("alert failover: %d SIGKILLs of the leader; PagerDuty got %s%n", KILLS,
          pages.stream().map(p -> p.get("event_action").asText()).toList());
      assertThat(pages).extracting(p -> p.get("event_action").asText())
          .containsExactly("trigger", "resolve");
      assertThat(pages.get(0).get("routing_key").asText()).isEqualTo("failover-key");
      assertThat(pages.get(1).get("dedup_key").asText())
          .isEqualTo(pages.get(0).get("dedup_key").asText());
    } finally {
      for (Node n : nodes) {
        n.close();
      }
      pagerDuty.stop(0);
    }
  }

  /** One {@code store,alert} child; its own store group makes it a full replica. */
  private final class Node implements AutoCloseable {
    final String name;
    final Path config;
    SextantChild child;

    Node(String name, KafkaBroker kafka, HttpServer pagerDuty) throws IOException {
      this.name = name;
      Path rules = Files.writeString(dir.resolve("rules.yml"), """
          groups:
            - name: shop
              interval: 1s
              rules:
                - alert: QueueBacklog
                  expr: queue_depth > 5
                  for: 1s
                  labels: { severity: critical }
          """);
      this.config = Files.writeString(dir.resolve(name + ".yml"), """
          auth: { enableAdminApi: true }
          alerting:
            rules: ["%s"]
            evaluationInterval: 1s
            notifier:
              route: { receiver: oncall, group_by: [alertname], group_wait: 1s,
                       group_interval: 1s, repeat_interval: 1h }
              receivers:
                - name: oncall
                  pagerduty_configs:
                    - routing_key: failover-key
                      url: http://127.0.0.1:%d/v2/enqueue
          cluster:
            roles: [store, alert]
            kafka: { bootstrapServers: '%s' }
            topics: { partitions: %d }
            storeGroup: alert-failover-%s
          """.formatted(rules, pagerDuty.getAddress().getPort(), kafka.bootstrapServers(),
          PARTITIONS, name));
    }

    void start() throws IOException, InterruptedException {
      child = SextantChild.start(List.of(), JVM, dir.resolve("data-" + name), config,
          dir.resolve(name + ".log"));
    }

    boolean leads() {
      try {
        JsonNode h = TestClient.get(child.httpPort, "/health").json();
        for (JsonNode t : h.at("/checks/alerting/leading")) {
          if (t.asText().equals("default")) {
            return true;
          }
        }
        return false;
      } catch (RuntimeException e) {
        return false; // killed
      }
    }

    @Override
    public void close() {
      if (child != null) {
        child.close();
      }
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static Node awaitLeader(Node[] nodes) {
    List<Node> leading = new ArrayList<>();
    await().atMost(WAIT).until(() -> {
      leading.clear();
      for (Node n : nodes) {
        if (n.child.process.isAlive() && n.leads()) {
          leading.add(n);
        }
      }
      return leading.size() == 1;
    });
    return leading.get(0);
  }

  private static Node other(Node[] nodes, Node n) {
    return nodes[0] == n ? nodes[1] : nodes[0];
  }

  private static boolean firing(Node n) {
    JsonNode alerts = TestClient.get(n.child.httpPort, "/api/v1/alerts").json();
    if (alerts == null) {
      return false;
    }
    for (JsonNode a : alerts.at("/data/alerts")) {
      if (a.at("/labels/alertname").asText().equals("QueueBacklog")
          && a.get("state").asText().equals("firing")) {
        return true;
      }
    }
    return false;
  }

  /** Waits until the leader's rule group was evaluated {@code n} intervals (1s) past now. */
  private static void awaitEvaluations(Node n, int intervals) {
    Instant until = Instant.now().plusSeconds(intervals);
    await().atMost(WAIT).until(() -> {
      JsonNode rules = TestClient.get(n.child.httpPort, "/api/v1/rules").json();
      String last = rules == null ? "" : rules.at("/data/groups/0/lastEvaluation").asText("");
      return !last.isEmpty() && Instant.parse(last).isAfter(until);
    });
  }

  private static String silence(String alertname) {
    Instant now = Instant.now();
    return "{\"matchers\":[{\"name\":\"alertname\",\"value\":\"" + alertname
        + "\",\"isRegex\":false}],\"startsAt\":\"" + now.minusSeconds(60) + "\",\"endsAt\":\""
        + now.plus(Duration.ofHours(1)) + "\",\"createdBy\":\"oncall\","
        + "\"comment\":\"known\"}";
  }

  private static HttpResponse<String> send(Node n, String method, String path,
      String body) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
              + n.child.httpPort + path)).header("Content-Type", "application/json")
          .timeout(Duration.ofSeconds(30))
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void export(SextantServer collector, double queueDepth) {
    GrpcClients.newClient("http://127.0.0.1:" + collector.grpcPort(),
        MetricsServiceGrpc.MetricsServiceBlockingStub.class)
        .export(ChildServers.queueDepth(queueDepth));
  }
}
