package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpMethod;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With authentication off the tenant is the {@code X-Scope-OrgID} header, as in Loki, Tempo and
 * Mimir: still one store each, bounded by {@code maxTenants}, and names that could escape the
 * data directory are refused.
 */
class TenancyWithoutAuthTest {
  @TempDir
  Path dataDir;

  @Test
  void scopeOrgIdHeader_selectsTheTenant() {
    try (SextantServer server = SextantServer.builder().dataDir(dataDir)
        .bindAddress("127.0.0.1").grpcPort(0).otlpHttpPort(0).httpPort(0).maxTenants(2)
        .build()) {
      server.start();
      String trace = TenantTelemetry.send("alpha", "http://127.0.0.1:" + server.otlpHttpPort(),
          false, Map.of("X-Scope-OrgID", "alpha"), null).traceId();
      int http = server.httpPort();
      assertThat(call(http, "/api/services", "alpha")).contains("svc-alpha");
      assertThat(call(http, "/api/traces/" + trace, "alpha")).contains("svc-alpha");
      assertThat(SecuredServers.call("http", http, HttpMethod.GET, "/api/services").contentUtf8())
          .doesNotContain("svc-alpha");
      assertThat(SecuredServers.call("http", http, HttpMethod.GET, "/api/traces/" + trace)
          .contentUtf8()).doesNotContain("svc-alpha");
      // A request large enough to arrive in many chunks still lands in its tenant.
      byte[] big = OtlpRequests.randomId(16);
      var req = OtlpRequests.trace(big, 6000, "bulk");
      assertThat(req.getSerializedSize()).isGreaterThan(256 * 1024);
      assertThat(SecuredServers.post(server.otlpHttpPort(), "/v1/traces", req.toByteArray(),
          "x-scope-orgid", "alpha").status().code()).isEqualTo(200);
      String bigHex = HexFormat.of().formatHex(big);
      assertThat(call(http, "/api/traces/" + bigHex, "alpha")).contains("bulk");
      assertThat(SecuredServers.call("http", http, HttpMethod.GET, "/api/traces/" + bigHex)
          .contentUtf8()).doesNotContain("bulk");
      // The default tenant and alpha fill maxTenants=2: a third is refused, nothing is opened.
      assertThat(SecuredServers.call("http", http, HttpMethod.GET, "/api/services",
          "x-scope-orgid", "bravo").status().code()).isEqualTo(403);
      assertThat(dataDir.resolve("tenants").resolve("bravo")).doesNotExist();
      assertThat(SecuredServers.call("http", http, HttpMethod.GET, "/api/services",
          "x-scope-orgid", "../../etc").status().code()).isEqualTo(400);
      // Alerting is per tenant: alpha has its own (empty) alert engine.
      assertThat(SecuredServers.call("http", http, HttpMethod.GET, "/api/v1/alerts",
          "x-scope-orgid", "alpha").status().code()).isEqualTo(200);
      assertThat(dataDir.resolve("tenants").resolve("alpha").resolve("alerts")).isDirectory();
      assertThat(SecuredServers.call("http", http, HttpMethod.GET, "/api/v1/alerts")
          .status().code()).isEqualTo(200);
    }
  }

  private static String call(int port, String path, String tenant) {
    return SecuredServers.call("http", port, HttpMethod.GET, path, "x-scope-orgid", tenant)
        .contentUtf8();
  }
}
