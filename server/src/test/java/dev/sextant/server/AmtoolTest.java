package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code amtool} (Debian's prometheus-alertmanager 0.25) against Sextant: it posts
 * alerts, queries them, and adds, lists and expires silences; a silence it added mutes a posted
 * alert while an unsilenced one is delivered.
 */
class AmtoolTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void amtool_alertsAndSilencesRoundTrip() throws Exception {
    Peers.binary("amtool", "prometheus-alertmanager");
    List<JsonNode> hooks = new CopyOnWriteArrayList<>();
    HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hook.createContext("/hook", ex -> {
      hooks.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    hook.start();
    String notifier = """
        route:
          receiver: team
          group_by: [alertname]
          group_wait: 1s
          group_interval: 1s
        receivers:
          - name: team
            webhook_configs:
              - url: http://127.0.0.1:%d/hook
        """.formatted(hook.getAddress().getPort());
    try (SextantServer server = SextantServer.builder().dataDir(dir.resolve("data"))
        .bindAddress("127.0.0.1").grpcPort(0).otlpHttpPort(0).httpPort(0)
        .notifierConfig(notifier)
        .enableAdminApi(true) // silences without auth
        .build()) {
      server.start();
      int port = server.httpPort();

      String id = Peers.amtool(port, "silence", "add", "alertname=Maintenance",
          "--comment=db upgrade", "--author=ops", "--duration=1h").strip();
      assertThat(id).matches("[0-9a-f-]{36}");
      String silences = Peers.amtool(port, "silence", "query");
      System.out.println("amtool silence query:\n" + silences);
      assertThat(silences).contains("ID", "Matchers", "Ends At", "Created By", "Comment")
          .contains(id, "alertname=\"Maintenance\"", "ops", "db upgrade");

      Peers.amtool(port, "alert", "add", "alertname=Maintenance", "severity=warning",
          "--annotation=summary=db is down for its upgrade");
      Peers.amtool(port, "alert", "add", "alertname=DiskFull", "severity=critical",
          "--annotation=summary=disk 97% full");
      String alerts = Peers.amtool(port, "alert", "query");
      System.out.println("amtool alert query:\n" + alerts);
      assertThat(alerts).contains("Alertname", "Starts At", "Summary")
          .contains("DiskFull", "disk 97% full").doesNotContain("Maintenance");
      assertThat(Peers.amtool(port, "alert", "query", "--silenced", "alertname=Maintenance"))
          .contains("Maintenance");
      JsonNode maintenance = JSON.readTree(TestClient.get(port,
          "/api/v2/alerts?filter=alertname%3D%22Maintenance%22").body()).get(0);
      assertThat(maintenance.get("status").get("state").asText()).isEqualTo("suppressed");
      assertThat(maintenance.get("status").get("silencedBy").get(0).asText()).isEqualTo(id);

      // Both groups flush on the same schedule: once DiskFull arrived, Maintenance was muted.
      await().atMost(Duration.ofSeconds(30)).until(() -> !hooks.isEmpty());
      assertThat(hooks).allSatisfy(h -> assertThat(h.get("commonLabels").get("alertname")
          .asText()).isEqualTo("DiskFull"));

      Peers.amtool(port, "silence", "expire", id);
      assertThat(Peers.amtool(port, "silence", "query")).doesNotContain(id);
      assertThat(Peers.amtool(port, "silence", "query", "--expired")).contains(id);
      assertThat(Peers.amtool(port, "alert", "query")).contains("Maintenance", "DiskFull");
    } finally {
      hook.stop(0);
    }
  }
}
