package dev.sextant.alert.internal.delivery;

import dev.sextant.alert.notify.Evidence;
import dev.sextant.alert.notify.Evidence.LogLine;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.sextant.alert.delivery.AuditLog;
import dev.sextant.alert.internal.notify.AlertEvent;
import dev.sextant.alert.internal.notify.Dispatcher;
import dev.sextant.alert.internal.notify.Notification;
import dev.sextant.alert.internal.notify.Route;
import dev.sextant.alert.internal.store.AlertDb;
import dev.sextant.storage.metrics.Labels;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeliveryTest {
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
  final List<JsonNode> received = new CopyOnWriteArrayList<>();
  final AtomicInteger failuresLeft = new AtomicInteger();
  volatile int failStatus = 503;
  HttpServer server;

  String startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v2/enqueue", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      int status;
      if (failuresLeft.getAndDecrement() > 0) {
        status = failStatus;
      } else {
        received.add(JSON.readTree(body));
        status = 202;
      }
      byte[] resp = "{\"status\":\"success\"}".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, resp.length);
      ex.getResponseBody().write(resp);
      ex.close();
    });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v2/enqueue";
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  Notification notification(String status) {
    Labels l = Labels.of("alertname", "HighErrorRate", "severity", "critical", "team", "api",
        "job", "shop", "endpoint", "/api");
    Map<String, String> ann = Map.of("summary", "High error rate detected",
        "playbook", "https://wiki.internal/playbooks/high-error-rate");
    Instant start = clock.now.minusSeconds(300);
    Notification.NotifiedAlert a = new Notification.NotifiedAlert(status, l, ann, start,
        status.equals("resolved") ? clock.now : null, "http://sextant:8686/graph?g0.expr=x", "abc");
    return new Notification("pagerduty", "{}:{alertname=\"HighErrorRate\"}",
        Labels.of("alertname", "HighErrorRate"), status, List.of(a), l.toMap(), ann,
        "http://sextant:8686", clock.now, null);
  }

  @Test
  void runOnce_retries503ThenDeliversExactlyOnce(@TempDir Path dir) throws Exception {
    String url = startServer();
    failuresLeft.set(3);
    try (AlertDb db = AlertDb.open(dir)) {
      Outbox outbox = new Outbox(db);
      AuditLog audit = new AuditLog(db);
      PagerDutyReceiver pd = new PagerDutyReceiver("pagerduty", "R0UTING", url, "error",
          "http://sextant:8686", null);
      outbox.enqueue(pd.render(notification("firing")), clock.now);
      DeliveryWorker w = DeliveryWorker.builder(outbox, audit).clock(clock)
          .backoff(Duration.ofSeconds(1), Duration.ofSeconds(60))
          .circuitBreaker(10, Duration.ofSeconds(30)).build();
      int delivered = 0;
      for (int i = 0; i < 20 && delivered == 0; i++) {
        delivered += w.runOnce();
        clock.now = clock.now.plusSeconds(10);
      }
      assertThat(delivered).isEqualTo(1);
      assertThat(w.runOnce()).isZero();
      assertThat(received).hasSize(1);
      assertThat(outbox.pending()).isEmpty();
      assertThat(audit.list(10)).extracting(AuditLog.Record::outcome)
          .containsExactly("delivered", "retry", "retry", "retry");
      assertThat(audit.list(10).get(1).status()).isEqualTo(503);
    }
  }

  @Test
  void runOnce_noRetryOnOther4xx(@TempDir Path dir) throws Exception {
    String url = startServer();
    failuresLeft.set(1);
    failStatus = 400;
    try (AlertDb db = AlertDb.open(dir)) {
      Outbox outbox = new Outbox(db);
      AuditLog audit = new AuditLog(db);
      outbox.enqueue(new Delivery("pagerduty", url, "k", "{}"), clock.now);
      DeliveryWorker w = DeliveryWorker.builder(outbox, audit).clock(clock).build();
      w.runOnce();
      clock.now = clock.now.plusSeconds(600);
      w.runOnce();
      assertThat(received).isEmpty();
      assertThat(outbox.pending()).isEmpty();
      assertThat(audit.list(10)).singleElement().satisfies(r -> {
        assertThat(r.outcome()).isEqualTo("failed");
        assertThat(r.status()).isEqualTo(400);
      });
    }
  }

  @Test
  void runOnce_circuitOpensThenHalfOpenProbe(@TempDir Path dir) throws Exception {
    String url = startServer();
    failuresLeft.set(1000);
    try (AlertDb db = AlertDb.open(dir)) {
      Outbox outbox = new Outbox(db);
      AuditLog audit = new AuditLog(db);
      for (int i = 0; i < 5; i++) {
        outbox.enqueue(new Delivery("pagerduty", url, "k" + i, "{}"), clock.now);
      }
      DeliveryWorker w = DeliveryWorker.builder(outbox, audit).clock(clock)
          .circuitBreaker(2, Duration.ofSeconds(30)).build();
      w.runOnce();
      // Two failures opened the breaker: the other three were not attempted.
      assertThat(audit.list(100)).hasSize(2);
      clock.now = clock.now.plusSeconds(10);
      w.runOnce();
      assertThat(audit.list(100)).hasSize(2);
      failuresLeft.set(0);
      clock.now = clock.now.plusSeconds(30);
      assertThat(w.runOnce()).isEqualTo(5); // the probe succeeded and closed the breaker
      assertThat(outbox.pending()).isEmpty();
    }
  }

  @Test
  void runOnce_sameDedupKeyStaysInOrderAndOutboxSurvivesRestart(@TempDir Path dir) throws Exception {
    String url = startServer();
    PagerDutyReceiver pd = new PagerDutyReceiver("pagerduty", "R0UTING", url, null, "", null);
    try (AlertDb db = AlertDb.open(dir)) {
      Outbox outbox = new Outbox(db);
      outbox.enqueue(pd.render(notification("firing")), clock.now);
      outbox.enqueue(pd.render(notification("resolved")), clock.now);
    }
    failuresLeft.set(1);
    try (AlertDb db = AlertDb.open(dir)) {
      Outbox outbox = new Outbox(db);
      assertThat(outbox.pending()).hasSize(2);
      DeliveryWorker w = DeliveryWorker.builder(outbox, new AuditLog(db)).clock(clock).build();
      assertThat(w.runOnce()).isZero(); // trigger failed; resolve must wait behind it
      clock.now = clock.now.plusSeconds(5);
      assertThat(w.runOnce()).isEqualTo(2);
    }
    assertThat(received).extracting(j -> j.get("event_action").asText())
        .containsExactly("trigger", "resolve");
    assertThat(received.get(0).get("dedup_key")).isEqualTo(received.get(1).get("dedup_key"));
  }

  @Test
  void enqueue_idsStayIncreasingAcrossRestartsAfterDraining(@TempDir Path dir) {
    long first;
    try (AlertDb db = AlertDb.open(dir)) {
      Outbox o = new Outbox(db);
      first = o.enqueue(new Delivery("r", "http://x", "k", "{}"), clock.now).id();
      o.remove(first);
    }
    try (AlertDb db = AlertDb.open(dir)) {
      assertThat(new Outbox(db).enqueue(new Delivery("r", "http://x", "k", "{}"), clock.now).id())
          .isGreaterThan(first);
    }
  }

  @Test
  void render_pagerDutyEvent() throws Exception {
    PagerDutyReceiver pd = new PagerDutyReceiver("pagerduty", "R0UTING", "http://pd.local/v2/enqueue",
        "warning", "http://sextant:8686", "sextant");
    Delivery d = pd.render(notification("firing"));
    JsonNode j = JSON.readTree(d.body());
    assertThat(d.url()).isEqualTo("http://pd.local/v2/enqueue");
    assertThat(j.get("routing_key").asText()).isEqualTo("R0UTING");
    assertThat(j.get("event_action").asText()).isEqualTo("trigger");
    assertThat(j.get("dedup_key").asText()).isEqualTo(d.dedupKey()).hasSize(64);
    JsonNode p = j.get("payload");
    assertThat(p.get("summary").asText()).isEqualTo("HighErrorRate: High error rate detected");
    assertThat(p.get("source").asText()).isEqualTo("shop");
    assertThat(p.get("severity").asText()).isEqualTo("critical");
    assertThat(p.get("component").asText()).isEqualTo("shop");
    assertThat(p.get("group").asText()).isEqualTo("api");
    assertThat(p.get("class").asText()).isEqualTo("HighErrorRate");
    assertThat(p.get("custom_details").get("alerts").get(0).get("labels").get("endpoint").asText())
        .isEqualTo("/api");
    assertThat(j.get("links").get(0).get("href").asText())
        .isEqualTo("https://wiki.internal/playbooks/high-error-rate");
    assertThat(j.get("links").get(1).get("href").asText()).startsWith("http://sextant:8686/alerts?group=");
    JsonNode resolve = JSON.readTree(pd.render(notification("resolved")).body());
    assertThat(resolve.get("event_action").asText()).isEqualTo("resolve");
    assertThat(resolve.get("dedup_key").asText()).isEqualTo(d.dedupKey());
    assertThat(resolve.has("payload")).isFalse();
  }

  @Test
  void forTenant_namesTheTenantAndScopesDedupKeys() throws Exception {
    PagerDutyReceiver pd = new PagerDutyReceiver("pagerduty", "R0UTING", "http://pd.local",
        "warning", "", "sextant");
    Notification n = notification("firing");
    Delivery plain = pd.render(n);
    Delivery dflt = pd.forTenant("default", false).render(n);
    Delivery a = pd.forTenant("alpha", true).render(n);
    Delivery b = pd.forTenant("bravo", true).render(n);
    // The unscoped tenant keeps the key it had before tenancy; scoped tenants never share one.
    assertThat(dflt.dedupKey()).isEqualTo(plain.dedupKey());
    assertThat(a.dedupKey()).isNotEqualTo(plain.dedupKey()).isNotEqualTo(b.dedupKey());
    assertThat(a.dedupKey()).isEqualTo(PagerDutyReceiver.dedupKey("alpha", "pagerduty",
        n.groupKey()));
    JsonNode bj = JSON.readTree(b.body());
    assertThat(bj.get("dedup_key").asText()).isEqualTo(b.dedupKey());
    assertThat(bj.get("payload").get("summary").asText())
        .isEqualTo("[bravo] HighErrorRate: High error rate detected");
    assertThat(bj.get("payload").get("custom_details").get("tenant").asText()).isEqualTo("bravo");
    JsonNode dj = JSON.readTree(dflt.body());
    assertThat(dj.get("payload").get("summary").asText())
        .isEqualTo("HighErrorRate: High error rate detected");
    assertThat(dj.get("payload").get("custom_details").get("tenant").asText())
        .isEqualTo("default");
    assertThat(JSON.readTree(plain.body()).get("payload").get("custom_details").has("tenant"))
        .isFalse();
    JsonNode resolve = JSON.readTree(pd.forTenant("bravo", true).render(
        notification("resolved")).body());
    assertThat(resolve.get("dedup_key").asText()).isEqualTo(b.dedupKey());
    WebhookReceiver wh = new WebhookReceiver("hook", "http://hook.local", 0);
    Delivery wb = wh.forTenant("bravo", true).render(n);
    assertThat(JSON.readTree(wb.body()).get("tenant").asText()).isEqualTo("bravo");
    assertThat(wb.dedupKey()).isEqualTo(PagerDutyReceiver.dedupKey("bravo", "hook",
        n.groupKey())).isNotEqualTo(wh.render(n).dedupKey());
  }

  @Test
  void render_pagerDutyLimits() throws Exception {
    PagerDutyReceiver pd = new PagerDutyReceiver("pd", "K", null, null, "", null);
    String huge = "x".repeat(5000);
    List<Notification.NotifiedAlert> alerts = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      alerts.add(new Notification.NotifiedAlert("firing", Labels.of("alertname", "A", "i", "" + i),
          Map.of("summary", huge, "description", huge), clock.now, null, "", "f" + i));
    }
    Notification n = new Notification("pd", "g", Labels.EMPTY, "firing", alerts,
        Map.of("alertname", "A", "severity", "bogus"), Map.of("summary", huge), "", clock.now, null);
    Delivery d = pd.render(n);
    assertThat(d.url()).isEqualTo(PagerDutyReceiver.DEFAULT_URL);
    assertThat(d.body().getBytes(StandardCharsets.UTF_8).length).isLessThan(512 * 1024);
    JsonNode p = JSON.readTree(d.body()).get("payload");
    assertThat(p.get("summary").asText()).hasSize(1024);
    assertThat(p.get("severity").asText()).isEqualTo("error");
    assertThat(p.get("custom_details").get("truncated_alerts").asInt()).isPositive();
  }

  @Test
  void render_webhookVersion4() throws Exception {
    WebhookReceiver w = new WebhookReceiver("hook", "http://hook.local/", 0);
    JsonNode j = JSON.readTree(w.render(notification("resolved")).body());
    assertThat(j.get("version").asText()).isEqualTo("4");
    assertThat(j.get("status").asText()).isEqualTo("resolved");
    assertThat(j.get("receiver").asText()).isEqualTo("pagerduty");
    assertThat(j.get("groupKey").asText()).isEqualTo("{}:{alertname=\"HighErrorRate\"}");
    assertThat(j.get("groupLabels").get("alertname").asText()).isEqualTo("HighErrorRate");
    assertThat(j.get("externalURL").asText()).isEqualTo("http://sextant:8686");
    JsonNode a = j.get("alerts").get(0);
    assertThat(a.get("endsAt").asText()).isEqualTo(clock.now.toString());
    assertThat(a.get("fingerprint").asText()).isEqualTo("abc");
    assertThat(j.get("truncatedAlerts").asInt()).isZero();
    assertThat(j.has("evidence")).isFalse();
    JsonNode withEvidence = JSON.readTree(w.render(notification("firing").withEvidence(
        new Evidence(List.of(), List.of(
            new LogLine("boom", 3, "shop", "ERROR"))))).body());
    assertThat(withEvidence.get("evidence").get("errorLogs").get(0).get("count").asInt()).isEqualTo(3);
  }

  @Test
  void pipeline_dispatcherToOutboxToServer(@TempDir Path dir) throws Exception {
    String url = startServer();
    failuresLeft.set(2);
    try (AlertDb db = AlertDb.open(dir)) {
      Outbox outbox = new Outbox(db);
      PagerDutyReceiver pd = new PagerDutyReceiver("pagerduty", "R0UTING", url, null, "", null);
      Dispatcher d = Dispatcher.builder(Route.builder("pagerduty").groupBy("alertname")
          .groupWait(Duration.ofSeconds(30)).build(), new OutboxSink(outbox, List.of(pd), clock))
          .clock(clock).build();
      DeliveryWorker w = DeliveryWorker.builder(outbox, new AuditLog(db)).clock(clock).build();
      AlertEvent a = new AlertEvent(Labels.of("alertname", "Down", "severity", "critical"),
          Map.of("summary", "down"), clock.now, clock.now.plusSeconds(240), "");
      d.send(List.of(a));
      for (int i = 0; i < 10; i++) {
        clock.now = clock.now.plusSeconds(10);
        d.send(List.of(new AlertEvent(a.labels(), a.annotations(), a.startsAt(),
            clock.now.plusSeconds(240), "")));
        d.tick();
        w.runOnce();
      }
      d.send(List.of(new AlertEvent(a.labels(), a.annotations(), a.startsAt(), clock.now, "")));
      clock.now = clock.now.plus(Duration.ofMinutes(5));
      d.tick();
      w.runOnce();
      assertThat(received).extracting(j -> j.get("event_action").asText())
          .containsExactly("trigger", "resolve");
    }
  }
}
