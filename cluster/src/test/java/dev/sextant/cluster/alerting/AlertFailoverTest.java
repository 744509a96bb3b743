package dev.sextant.cluster.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.sextant.alert.AlertEngine;
import dev.sextant.alert.NotifierConfig;
import dev.sextant.alert.eval.Alert;
import dev.sextant.alert.eval.AlertState;
import dev.sextant.alert.notify.Silence;
import dev.sextant.alert.promql.PromqlQueryFunction;
import dev.sextant.alert.query.QueryFunction;
import dev.sextant.alert.rules.RuleFileResult;
import dev.sextant.cluster.testing.KafkaBroker;
import dev.sextant.query.promql.EngineOptions;
import dev.sextant.query.promql.PromqlEngine;
import dev.sextant.storage.embedded.EmbeddedMetricStore;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.MetricStore;
import dev.sextant.storage.metrics.TimeSeries;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two alert nodes on a real KRaft broker, rules over a real embedded metric store, a real local
 * HTTP server playing PagerDuty. The leader goes away during an incident; the other node takes
 * over from the replicated state: one trigger, one resolve, one dedup_key, the silence holds.
 */
class AlertFailoverTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String RULES = """
      groups:
        - name: payments
          interval: 1s
          rules:
            - alert: PaymentsFailing
              expr: payments_failed > 0
              labels: {severity: critical}
              annotations: {summary: payments are failing}
            - alert: PaymentsFailingQuietly
              expr: payments_failed > 0
              labels: {severity: warning}
      """;

  @TempDir
  Path dir;

  private final List<JsonNode> pages = new CopyOnWriteArrayList<>();
  private final AtomicBoolean accept = new AtomicBoolean(true);
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicLong lastSample = new AtomicLong();
  private HttpServer pagerDuty;
  private MetricStore store;
  private NotifierConfig notifier;
  private Path rules;
  private final List<ClusterAlerting> nodes = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    pagerDuty = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    pagerDuty.createContext("/v2/enqueue", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      int status = 202;
      if (accept.get()) {
        pages.add(JSON.readTree(body));
      } else {
        refused.incrementAndGet();
        status = 503;
      }
      ex.sendResponseHeaders(status, -1);
      ex.close();
    });
    pagerDuty.start();
    notifier = NotifierConfig.parse("""
        route:
          receiver: pagerduty
          group_by: [alertname]
          group_wait: 1s
          group_interval: 2s
          repeat_interval: 4h
        receivers:
          - name: pagerduty
            pagerduty_configs:
              - routing_key: R0UTING
                url: http://127.0.0.1:%d/v2/enqueue
        """.formatted(pagerDuty.getAddress().getPort()), "http://sextant:8686");
    rules = Files.writeString(dir.resolve("rules.yml"), RULES);
    store = EmbeddedMetricStore.builder(dir.resolve("metrics")).syncWrites(false).build();
  }

  @AfterEach
  void tearDown() {
    nodes.forEach(ClusterAlerting::close);
    store.close();
    pagerDuty.stop(0);
  }

  @Test
  void leaderClosedWithPageUndelivered_nextLeaderDeliversItOnceAndResolvesOnce() throws Exception {
    failover("close", false);
  }

  @Test
  void leaderHaltedAfterPaging_nextLeaderPagesNothingAgainAndResolvesOnce() throws Exception {
    failover("halt", true);
  }

  /**
   * {@code halt}: the leader dies as a killed process (no group leave; the session timeout
   * elects the other) after PagerDuty took the trigger; else it closes while PagerDuty refuses,
   * its page still in the outbox.
   */
  private void failover(String tenant, boolean halt) throws Exception {
    KafkaBroker kafka = KafkaBroker.shared();
    AtomicInteger evalsA = new AtomicInteger();
    AtomicInteger evalsB = new AtomicInteger();
    ClusterAlerting a = node(kafka, "a", tenant, evalsA);
    a.start();
    await().atMost(WAIT).until(() -> a.isLeader(tenant) && a.engine(tenant) != null);
    ClusterAlerting b = node(kafka, "b", tenant, evalsB);
    b.start();

    // The follower names the leader (published in its lease commits) and keeps the state warm.
    await().atMost(WAIT).until(() -> "http://node-a".equals(b.leaderUrl(tenant)));
    await().atMost(WAIT).until(() -> b.stateLag() == 0);

    Instant now = Instant.now();
    Silence quiet = a.engine(tenant).silences().add(new Silence("",
        List.of("alertname=\"PaymentsFailingQuietly\""), now.minusSeconds(60),
        now.plus(Duration.ofHours(1)), "oncall", "known, handled elsewhere"));
    accept.set(halt);
    sample(1);
    if (halt) {
      await().atMost(WAIT).until(() -> pages.size() == 1);
      // Delivered and out of the outbox (removed, and that replicated, before the audit entry).
      await().atMost(WAIT).until(() -> a.engine(tenant).audit().list(10).stream()
          .anyMatch(r -> r.outcome().equals("delivered")));
      a.halt();
    } else {
      await().atMost(WAIT).until(() -> refused.get() > 0);
      a.close();
    }
    nodes.remove(a);
    assertThat(a.isLeader(tenant)).isFalse();

    await().atMost(WAIT).until(() -> b.isLeader(tenant) && b.engine(tenant) != null);
    AlertEngine engine = b.engine(tenant);
    await().atMost(WAIT).until(() -> "http://node-b".equals(b.leaderUrl(tenant)));
    assertThat(engine.silences().list()).extracting(Silence::id).contains(quiet.id());
    accept.set(true);
    await().atMost(WAIT).until(() -> pages.size() == 1);
    // The new leader has evaluated, grouped and flushed past group_wait and a group_interval:
    // a second trigger would have gone out by now.
    await().atMost(WAIT).until(() -> engine.rules().alerts().stream()
        .anyMatch(x -> x.state() == AlertState.FIRING));
    int seen = evalsB.get();
    await().atMost(WAIT).until(() -> evalsB.get() >= seen + 10);
    assertThat(pages).hasSize(1);

    sample(0);
    await().atMost(WAIT).until(() -> pages.size() >= 2);
    int after = evalsB.get();
    await().atMost(WAIT).until(() -> evalsB.get() >= after + 10);

    assertThat(pages).extracting(p -> p.get("event_action").asText())
        .containsExactly("trigger", "resolve");
    assertThat(pages.get(1).get("dedup_key")).isEqualTo(pages.get(0).get("dedup_key"));
    assertThat(pages.get(0).get("payload").get("summary").asText()).contains("PaymentsFailing");
    assertThat(pages).noneMatch(p -> p.toString().contains("PaymentsFailingQuietly"));
    assertThat(engine.rules().alerts()).extracting(Alert::state)
        .doesNotContain(AlertState.FIRING, AlertState.PENDING);
    assertThat(evalsA.get()).isPositive();
  }

  private ClusterAlerting node(KafkaBroker kafka, String name, String tenant,
      AtomicInteger evals) {
    QueryFunction promql = new PromqlQueryFunction(
        PromqlEngine.of(store, EngineOptions.defaults()));
    QueryFunction counting = (expr, t) -> {
      evals.incrementAndGet();
      return promql.query(expr, t);
    };
    ClusterAlerting n = ClusterAlerting.builder(kafka.bootstrapServers(), dir.resolve(name),
            (t, dataDir, state) -> {
              AlertEngine e = AlertEngine.builder(counting, dataDir, notifier).stateListener(state)
                  .defaultInterval(Duration.ofSeconds(1))
                  .backoff(Duration.ofMillis(200), Duration.ofSeconds(1)).build();
              List<RuleFileResult> r = e.loadRules(List.of(rules.toString()));
              if (!r.stream().allMatch(RuleFileResult::ok)) {
                e.close();
                throw new IllegalStateException("rules: " + r);
              }
              return e;
            })
        .tenants(List.of(tenant)).nodeId("node-" + name).advertisedUrl("http://node-" + name)
        .sessionTimeout(Duration.ofSeconds(3)).tickInterval(Duration.ofMillis(200)).build();
    nodes.add(n);
    return n;
  }

  private void sample(double value) {
    long ts = lastSample.updateAndGet(prev -> Math.max(prev + 1, System.currentTimeMillis()));
    store.write(List.of(TimeSeries.of(Labels.of("__name__", "payments_failed", "job", "shop"),
        ts, value))).join();
  }
}
