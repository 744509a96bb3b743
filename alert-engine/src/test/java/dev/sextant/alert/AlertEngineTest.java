package dev.sextant.alert;

import dev.sextant.alert.query.Sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.sextant.alert.eval.AlertState;
import dev.sextant.alert.notify.Evidence;
import dev.sextant.alert.rules.RuleFileResult;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alert engine end to end, with a real local HTTP server playing PagerDuty. */
class AlertEngineTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static final class TestClock extends Clock {
    volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  final TestClock clock = new TestClock();
  final List<JsonNode> pages = new CopyOnWriteArrayList<>();
  final AtomicInteger refusals = new AtomicInteger();
  final AtomicInteger requests = new AtomicInteger();
  volatile double errorRate;
  HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  String startPagerDuty() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v2/enqueue", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      requests.incrementAndGet();
      int status = 202;
      if (refusals.getAndDecrement() > 0) {
        status = 503;
      } else {
        pages.add(JSON.readTree(body));
      }
      ex.sendResponseHeaders(status, -1);
      ex.close();
    });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v2/enqueue";
  }

  AlertEngine engine(Path dir, String pdUrl) {
    NotifierConfig cfg = NotifierConfig.parse("""
        route:
          receiver: pagerduty
          group_by: [alertname]
          group_wait: 30s
          group_interval: 5m
          repeat_interval: 4h
          routes:
            - receiver: webhook
              matchers: ['severity="info"']
        receivers:
          - name: pagerduty
            pagerduty_configs:
              - routing_key: R0UTING
                url: %s
          - name: webhook
            webhook_configs:
              - url: http://127.0.0.1:1/hook
        inhibit_rules:
          - source_matchers: ['severity="critical"']
            target_matchers: ['severity="warning"']
            equal: [team]
        """.formatted(pdUrl), "http://sextant:8686");
    AlertEngine e = AlertEngine.builder(this::query, dir.resolve("alerts"), cfg).clock(clock)
        .externalUrl("http://sextant:8686").backoff(Duration.ofSeconds(10), Duration.ofSeconds(40))
        .evidence((labels, from, to) -> new Evidence(
            List.of(new Evidence.Link("http://sextant:8686/traces/4bf92f3577b34da6", "shop POST /pay 2.3s error")),
            List.of(new Evidence.LogLine("payment gateway timeout", 42, labels.get("job"), "ERROR"))))
        .build();
    List<RuleFileResult> r = e.loadRules(List.of(dir.resolve("rules/*.yml").toString()));
    assertThat(r).allMatch(RuleFileResult::ok);
    return e;
  }

  List<Sample> query(String expr, Instant t) {
    if (expr.contains("http_errors_total") && errorRate > 0.05) {
      return List.of(Sample.of(errorRate, "endpoint", "/api", "job", "shop"));
    }
    return List.of();
  }

  void run(AlertEngine e, Duration d) {
    for (Duration t = Duration.ZERO; t.compareTo(d) < 0; t = t.plusSeconds(10)) {
      clock.now = clock.now.plusSeconds(10);
      e.tick();
    }
  }

  @Test
  void issue7RuleFile_pagesOnceThroughOutageAndRestartThenResolves(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("rules"));
    Files.copy(Path.of(AlertEngineTest.class.getResource("/issue7/api.yml").toURI()), dir.resolve("rules/api.yml"));
    String url = startPagerDuty();
    errorRate = 0.12;
    refusals.set(5);
    AlertEngine e = engine(dir, url);
    run(e, Duration.ofMinutes(4));
    assertThat(e.rules().alerts()).singleElement()
        .satisfies(a -> assertThat(a.state()).isEqualTo(AlertState.PENDING));
    run(e, Duration.ofMinutes(2)); // fired at 5m; group_wait 30s; PagerDuty refuses
    assertThat(e.rules().alerts().get(0).state()).isEqualTo(AlertState.FIRING);
    assertThat(requests.get()).isPositive();
    assertThat(pages).isEmpty();
    assertThat(e.outbox().pending()).hasSize(1);
    // Sextant restarts during the outage.
    e.close();
    e = engine(dir, url);
    assertThat(e.rules().alerts().get(0).state()).isEqualTo(AlertState.FIRING);
    run(e, Duration.ofMinutes(3));
    assertThat(pages).hasSize(1);
    JsonNode trigger = pages.get(0);
    assertThat(trigger.get("event_action").asText()).isEqualTo("trigger");
    assertThat(trigger.get("payload").get("summary").asText())
        .isEqualTo("HighErrorRate: High error rate detected");
    assertThat(trigger.get("payload").get("severity").asText()).isEqualTo("critical");
    assertThat(trigger.get("payload").get("group").asText()).isEqualTo("api");
    assertThat(trigger.get("payload").get("custom_details").get("alerts").get(0)
        .get("annotations").get("description").asText()).isEqualTo("Error rate is 0.12% for /api");
    assertThat(trigger.get("links").get(0).get("href").asText())
        .isEqualTo("https://wiki.internal/playbooks/high-error-rate");
    JsonNode ev = trigger.get("payload").get("custom_details").get("evidence");
    assertThat(ev.get("traces").get(0).get("href").asText()).isEqualTo("http://sextant:8686/traces/4bf92f3577b34da6");
    assertThat(ev.get("error_logs").get(0).get("message").asText()).isEqualTo("payment gateway timeout");
    assertThat(ev.get("error_logs").get(0).get("service").asText()).isEqualTo("shop");
    assertThat(trigger.get("links")).anyMatch(l -> l.get("text").asText().startsWith("Trace: shop POST /pay"));
    // Still firing for a while: no duplicate page.
    run(e, Duration.ofMinutes(20));
    assertThat(pages).hasSize(1);
    // The condition clears: one resolve, same incident.
    errorRate = 0;
    run(e, Duration.ofMinutes(7));
    assertThat(pages).hasSize(2);
    assertThat(pages.get(1).get("event_action").asText()).isEqualTo("resolve");
    assertThat(pages.get(1).get("dedup_key")).isEqualTo(trigger.get("dedup_key"));
    assertThat(e.audit().list(100)).extracting(r -> r.outcome())
        .containsExactly("delivered", "delivered", "retry", "retry", "retry", "retry", "retry");
    e.close();
    System.out.println("PagerDuty trigger payload: " + trigger.toPrettyString());
  }

  @Test
  void reloadIfChanged_appliesOnlyValidChanges(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("rules"));
    Path f = dir.resolve("rules/a.yml");
    Files.writeString(f, "groups: [{name: a, rules: [{alert: A, expr: up == 0}]}]\n");
    try (AlertEngine e = engine(dir, "http://127.0.0.1:1/")) {
      assertThat(e.reloadIfChanged()).isNull();
      assertThat(e.rules().groups().get(0).rules()).hasSize(1);
      Files.writeString(f, "groups: [{name: a, rules: [{alert: A, expr: up == 0}, {record: b, expr: up}]}]\n");
      Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() + 5000));
      assertThat(e.reloadIfChanged()).allMatch(RuleFileResult::ok);
      assertThat(e.rules().groups().get(0).rules()).hasSize(2);
      Files.writeString(f, "groups: [{name: a, rules: [{alert: A}]}]\n");
      Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() + 10000));
      assertThat(e.reloadIfChanged()).noneMatch(RuleFileResult::ok);
      assertThat(e.rules().groups().get(0).rules()).hasSize(2); // the bad file was not applied
    }
  }

  @Test
  void notifierConfig_errorsNameTheField() {
    assertThatThrownBy(() -> NotifierConfig.parse("""
        route: {receiver: nope}
        receivers: [{name: a, webhook_configs: [{url: 'http://x'}]}]
        """, null)).hasMessageContaining("route.receiver: nope");
    assertThatThrownBy(() -> NotifierConfig.parse("""
        route: {receiver: a, routes: [{group_wait: soon}]}
        receivers: [{name: a, pagerduty_configs: [{routing_key: k}]}]
        """, null)).hasMessageContaining(
            "route.routes[0].group_wait: not a valid duration string: \"soon\"");
    assertThatThrownBy(() -> NotifierConfig.parse("""
        route: {receiver: a}
        receivers: [{name: a, pagerduty_configs: [{url: 'http://x'}]}]
        """, null)).hasMessageContaining("receivers[0].pagerduty_configs[0].routing_key: missing");
  }
}
