package dev.sextant.alert.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.sextant.alert.NotifierConfig;
import dev.sextant.alert.delivery.AuditLog;
import dev.sextant.alert.internal.notify.Notification;
import dev.sextant.alert.internal.store.AlertDb;
import dev.sextant.storage.metrics.Labels;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A receiver with several integrations, each with its own send_resolved and http_config
 * authorization, delivered to a real local HTTP server.
 */
class IntegrationTest {
  record Request(String path, String authorization, String body) {}

  final List<Request> requests = new CopyOnWriteArrayList<>();
  HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  String start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      requests.add(new Request(ex.getRequestURI().getPath(),
          String.valueOf(ex.getRequestHeaders().getFirst("Authorization")),
          new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  static Notification notification(String status) {
    Labels l = Labels.of("alertname", "Down", "job", "shop");
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return new Notification("oncall", "{}:{alertname=\"Down\"}", Labels.of("alertname", "Down"),
        status, List.of(new Notification.NotifiedAlert(status, l, Map.of(), t,
            status.equals("resolved") ? t.plusSeconds(60) : null, "", "fp")),
        l.toMap(), Map.of(), "", t, null);
  }

  @Test
  void render_eachIntegrationDeliversWithItsAuthAndSendResolved(@TempDir Path dir)
      throws Exception {
    String base = start();
    Path tokenFile = Files.writeString(dir.resolve("token"), "file-token\n");
    NotifierConfig c = NotifierConfig.parse("""
        route: {receiver: oncall}
        receivers:
          - name: oncall
            webhook_configs:
              - url: %1$s/a
                http_config:
                  basic_auth: {username: sextant, password: pw-secret}
              - url: %1$s/b
                send_resolved: false
                http_config:
                  authorization: {type: Bearer, credentials_file: %2$s}
        """.formatted(base, tokenFile), null);
    try (AlertDb db = AlertDb.open(dir.resolve("db"))) {
      Outbox outbox = new Outbox(db);
      OutboxSink sink = new OutboxSink(outbox, c.receivers(), Clock.systemUTC());
      DeliveryWorker w = DeliveryWorker.builder(outbox, new AuditLog(db))
          .integrations(c.receivers()).build();
      sink.accept(notification("firing"));
      sink.accept(notification("resolved"));
      // Secrets never reach the outbox: it stores the request without its headers.
      db.scan(AlertDb.Table.OUTBOX, (k, v) -> {
        assertThat(new String(v, StandardCharsets.UTF_8)).doesNotContain("pw-secret", "file-token");
        return true;
      });
      assertThat(outbox.pending()).hasSize(3); // a: firing, resolved; b: firing only
      assertThat(w.runOnce()).isEqualTo(3);
    }
    String basic = "Basic " + Base64.getEncoder().encodeToString(
        "sextant:pw-secret".getBytes(StandardCharsets.UTF_8));
    assertThat(requests).extracting(Request::path).containsExactlyInAnyOrder("/a", "/a", "/b");
    assertThat(requests).filteredOn(r -> r.path().equals("/a"))
        .allMatch(r -> r.authorization().equals(basic))
        .extracting(r -> r.body().contains("\"status\":\"resolved\"")).containsExactly(false, true);
    assertThat(requests).filteredOn(r -> r.path().equals("/b")).singleElement()
        .satisfies(r -> {
          assertThat(r.authorization()).isEqualTo("Bearer file-token");
          assertThat(r.body()).contains("\"status\":\"firing\"");
        });
  }
}
