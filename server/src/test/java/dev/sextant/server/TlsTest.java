package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code tls} configured every port speaks TLS only: the SDK's exporters reach OTLP over
 * grpcs and https with the self-signed certificate trusted, a JDK client reads the API over
 * https, and plain-text connections are refused.
 */
class TlsTest {
  @TempDir
  Path dir;

  @Test
  void tls_servesEveryPortOverHttpsAndRefusesPlainText() throws Exception {
    SelfSignedCert cert = SelfSignedCert.create(Files.createDirectories(dir.resolve("tls")));
    try (SextantServer server = SecuredServers.builder(dir.resolve("data"))
        .tls(cert.certFile(), cert.keyFile(), null).build()) {
      server.start();
      String alpha = TenantTelemetry.send("alpha", "https://127.0.0.1:" + server.grpcPort(),
          true, Map.of("authorization", "Bearer " + SecuredServers.A_INGEST), cert.certPem())
          .traceId();
      TenantTelemetry.send("bravo", "https://127.0.0.1:" + server.otlpHttpPort(), false,
          Map.of("x-api-key", SecuredServers.B_INGEST), cert.certPem());

      HttpClient https = HttpClient.newBuilder().sslContext(cert.trusting()).build();
      HttpResponse<String> trace = https.send(HttpRequest.newBuilder(URI.create(
          "https://127.0.0.1:" + server.httpPort() + "/api/traces/" + alpha))
          .header("authorization", "Bearer " + SecuredServers.A_READ).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(trace.statusCode()).isEqualTo(200);
      assertThat(trace.body()).contains("svc-alpha");
      HttpResponse<String> logs = https.send(HttpRequest.newBuilder(URI.create(
          "https://127.0.0.1:" + server.httpPort() + "/api/logs?q=secret"))
          .header("x-api-key", SecuredServers.B_READ).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(logs.body()).contains("bravo secret log line").doesNotContain("alpha");
      assertThat(https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:"
          + server.otlpHttpPort() + "/health")).build(), HttpResponse.BodyHandlers.ofString())
          .statusCode()).isEqualTo(200);

      // Plain text to a TLS port gets no answer, and an untrusting client no connection.
      for (int port : new int[] {server.grpcPort(), server.otlpHttpPort(), server.httpPort()}) {
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/health")).build(),
            HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
      }
      assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("https://127.0.0.1:" + server.httpPort() + "/health")).build(),
          HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLException.class);
    }
  }
}
