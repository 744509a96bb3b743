package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import dev.sextant.server.config.ConfigLoader;
import dev.sextant.server.config.ConfigYaml;
import dev.sextant.server.config.SextantConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prometheus's probes ({@code /-/healthy}, {@code /-/ready}) and {@code /api/v1/status/config}
 * on a real server: liveness does not care about the disk, readiness does; the probes are open
 * with auth on, the configuration needs a read token of the default tenant and shows no secret.
 */
class ProbesAndStatusTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void probes_healthyIgnoresAFullDiskWhileReadyRefuses() {
    // A free-disk threshold no disk meets: the disk guard refuses ingest, as on a full disk.
    try (SextantServer server = SextantServer.builder().dataDir(dir.resolve("full"))
        .bindAddress("127.0.0.1").grpcPort(0).otlpHttpPort(0).httpPort(0)
        .healthThresholds(Long.MAX_VALUE, 0.95).build()) {
      server.start();
      TestClient.Response healthy = TestClient.get(server.httpPort(), "/-/healthy");
      assertThat(healthy.status()).isEqualTo(200);
      assertThat(healthy.body()).isEqualTo("Sextant is Healthy.\n");
      TestClient.Response ready = TestClient.get(server.httpPort(), "/-/ready");
      assertThat(ready.status()).isEqualTo(503);
      assertThat(ready.body()).startsWith("Service Unavailable: disk full: ")
          .contains("expected: >= " + Long.MAX_VALUE);
      assertThat(SecuredServers.call("http", server.httpPort(), HttpMethod.HEAD, "/-/healthy")
          .status().code()).isEqualTo(200);
    }
    try (SextantServer server = SextantServer.builder().dataDir(dir.resolve("ok"))
        .bindAddress("127.0.0.1").grpcPort(0).otlpHttpPort(0).httpPort(0).build()) {
      server.start();
      TestClient.Response ready = TestClient.get(server.httpPort(), "/-/ready");
      assertThat(ready.status()).isEqualTo(200);
      assertThat(ready.body()).isEqualTo("Sextant is Ready.\n");
      assertThat(SecuredServers.call("http", server.httpPort(), HttpMethod.HEAD, "/-/ready")
          .status().code()).isEqualTo(200);
      assertThat(SecuredServers.call("http", server.httpPort(), HttpMethod.POST, "/-/ready")
          .status().code()).isEqualTo(405);
    }
  }

  @Test
  void statusConfig_authOn_probesOpenConfigForDefaultTenantReadersWithSecretsMasked()
      throws Exception {
    Path file = Files.writeString(dir.resolve("sextant.yml"), """
        auth:
          enabled: true
          tokens:
            - {name: ops, token: "plain-admin-secret-0123456789", role: admin}
            - {name: ci, tokenEnv: CI_TOKEN, role: ingest}
        tls: {keyPassword: "tls-key-password"}
        alerting:
          notifier:
            route: {receiver: oncall, routes: [{matchers: ['severity="warning"'], receiver: chat}]}
            receivers:
              - name: oncall
                pagerduty_configs: [{routing_key: "pd-routing-key-123"}]
              - name: chat
                webhook_configs: [{url: "http://chat.internal/hook?token=webhook-secret"}]
        retention: {traces: 3d}
        """);
    SextantConfig config = ConfigLoader.load(file,
        Map.of("CI_TOKEN", "env-ingest-secret-0123456789"));
    String yaml = ConfigYaml.masked(config);
    try (SextantServer server = SecuredServers.builder(dir.resolve("data"))
        .statusConfigYaml(yaml).build()) {
      server.start();
      int http = server.httpPort();
      for (String probe : new String[] {"/-/healthy", "/-/ready"}) {
        AggregatedHttpResponse r = SecuredServers.call("http", http, HttpMethod.GET, probe);
        assertThat(r.status().code()).as(probe).isEqualTo(200);
      }
      assertThat(SecuredServers.call("http", http, HttpMethod.GET, "/api/v1/status/config")
          .status().code()).isEqualTo(401);
      // The configuration is the whole server's: another tenant's reader may not see it.
      assertThat(SecuredServers.get(http, "/api/v1/status/config", SecuredServers.A_READ)
          .status().code()).isEqualTo(403);
      AggregatedHttpResponse r = SecuredServers.get(http, "/api/v1/status/config",
          SecuredServers.DEFAULT_READ);
      assertThat(r.status().code()).isEqualTo(200);
      JsonNode body = JSON.readTree(r.contentUtf8());
      assertThat(body.get("status").asText()).isEqualTo("success");
      String shown = body.get("data").get("yaml").asText();
      assertThat(shown).isEqualTo(yaml);
      assertThat(shown).doesNotContain("plain-admin-secret", "env-ingest-secret",
          "tls-key-password", "pd-routing-key", "webhook-secret");
      JsonNode tree = new ObjectMapper(new YAMLFactory())
          .readTree(shown);
      assertThat(tree.at("/auth/tokens/0/token").asText()).isEqualTo("<secret>");
      assertThat(tree.at("/auth/tokens/1/token").asText()).isEqualTo("<secret>");
      assertThat(tree.at("/auth/tokens/1/tokenEnv").asText()).isEqualTo("CI_TOKEN");
      assertThat(tree.at("/tls/keyPassword").asText()).isEqualTo("<secret>");
      assertThat(tree.at("/alerting/notifier/receivers/0/pagerduty_configs/0/routing_key")
          .asText()).isEqualTo("<secret>");
      assertThat(tree.at("/alerting/notifier/receivers/1/webhook_configs/0/url").asText())
          .isEqualTo("<secret>");
      // Everything else as the server runs with it, defaults included.
      assertThat(tree.at("/retention/traces").asText()).isEqualTo("3d");
      assertThat(tree.at("/retention/metrics").asText()).isEqualTo("15d");
      assertThat(tree.at("/auth/enabled").asBoolean()).isTrue();
      assertThat(tree.at("/ports/http").asInt()).isEqualTo(8686);
    }
  }
}
