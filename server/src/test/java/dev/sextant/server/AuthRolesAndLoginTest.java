package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Roles decide what a valid token may do; the UI logs in with a token into a session cookie. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthRolesAndLoginTest {
  @TempDir
  static Path dataDir;
  private SextantServer server;

  @BeforeAll
  void start() {
    server = SecuredServers.builder(dataDir).build();
    server.start();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void roles_allowTheirRoutesAndRefuseOthersWith403() {
    int http = server.httpPort();
    int otlp = server.otlpHttpPort();
    assertThat(SecuredServers.get(http, "/api/services", SecuredServers.A_READ).status().code())
        .isEqualTo(200);
    assertThat(SecuredServers.call("http", http, HttpMethod.GET, "/api/services",
        "x-api-key", SecuredServers.A_READ).status().code()).isEqualTo(200);
    AggregatedHttpResponse ingestReads = SecuredServers.get(http, "/api/services",
        SecuredServers.A_INGEST);
    assertThat(ingestReads.status().code()).isEqualTo(403);
    assertThat(ingestReads.contentUtf8()).contains("alpha-ingest").contains("role ingest");
    // A reader cannot reload rules or write silences; the admin can.
    assertThat(SecuredServers.call("http", http, HttpMethod.POST, "/-/reload",
        "authorization", "Bearer " + SecuredServers.DEFAULT_READ).status().code())
        .isEqualTo(403);
    assertThat(SecuredServers.call("http", http, HttpMethod.POST, "/-/reload",
        "authorization", "Bearer " + SecuredServers.ADMIN).status().code()).isEqualTo(200);
    assertThat(SecuredServers.call("http", http, HttpMethod.DELETE, "/api/v2/silence/x",
        "authorization", "Bearer " + SecuredServers.DEFAULT_READ).status().code())
        .isEqualTo(403);
    // Readers cannot send telemetry.
    assertThat(SecuredServers.call("http", otlp, HttpMethod.POST, "/v1/traces",
        "authorization", "Bearer " + SecuredServers.A_READ, "content-type",
        "application/x-protobuf").status().code()).isEqualTo(403);
    // Both headers must name the same token.
    assertThat(SecuredServers.call("http", http, HttpMethod.GET, "/api/services",
        "authorization", "Bearer " + SecuredServers.A_READ, "x-api-key",
        SecuredServers.WRONG).status().code()).isEqualTo(401);
    // Health details need a read token; without one only up/down is said.
    assertThat(SecuredServers.get(http, "/health", SecuredServers.DEFAULT_READ).contentUtf8())
        .contains("disk_space");
    assertThat(SecuredServers.call("http", otlp, HttpMethod.GET, "/health").contentUtf8())
        .isEqualTo("{\"status\":\"healthy\"}");
    // gRPC speaks gRPC: UNAUTHENTICATED without a token, PERMISSION_DENIED for a reader.
    assertThat(grpcStatus(server, null)).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(grpcStatus(server, SecuredServers.WRONG))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(grpcStatus(server, SecuredServers.A_READ))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(grpcStatus(server, SecuredServers.A_INGEST)).isEqualTo(Status.Code.OK);
    // A real exporter with a wrong token fails its export.
    assertThatThrownBy(() -> TenantTelemetry.send("x", "http://127.0.0.1:"
        + server.grpcPort(), true, Map.of("authorization", "Bearer " + SecuredServers.WRONG),
        null)).hasMessageContaining("failed");
  }

  @Test
  void scopeOrgIdHeader_cannotMoveAnIngestTokenToAnotherTenant() {
    byte[] id = OtlpRequests.randomId(16);
    Metadata md = new Metadata();
    md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + SecuredServers.A_INGEST);
    md.put(Metadata.Key.of("x-scope-orgid", Metadata.ASCII_STRING_MARSHALLER), "bravo");
    GrpcClients.newClient("http://127.0.0.1:" + server.grpcPort(),
        TraceServiceGrpc.TraceServiceBlockingStub.class)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
        .export(OtlpRequests.trace(id, 3, "spoofer"));
    String hex = HexFormat.of().formatHex(id);
    int http = server.httpPort();
    assertThat(SecuredServers.get(http, "/api/traces/" + hex, SecuredServers.A_READ)
        .contentUtf8()).contains("spoofer");
    assertThat(SecuredServers.get(http, "/api/traces/" + hex, SecuredServers.B_READ)
        .contentUtf8()).doesNotContain("spoofer");
    // Reading works the same way: the header does not switch a read token's tenant either.
    assertThat(SecuredServers.call("http", http, HttpMethod.GET, "/api/traces/" + hex,
        "authorization", "Bearer " + SecuredServers.B_READ, "x-scope-orgid", "alpha")
        .contentUtf8()).doesNotContain("spoofer");
  }

  private static Status.Code grpcStatus(SextantServer server, String token) {
    Metadata md = new Metadata();
    if (token != null) {
      md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
          "Bearer " + token);
    }
    var stub = GrpcClients.newClient("http://127.0.0.1:" + server.grpcPort(),
        TraceServiceGrpc.TraceServiceBlockingStub.class)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    try {
      stub.export(OtlpRequests.trace(OtlpRequests.randomId(16), 1, "grpc-client"));
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  @Test
  void login_setsSecureHttpOnlyStrictSessionCookie_andLogoutEndsIt() throws Exception {
    String base = "http://127.0.0.1:" + server.httpPort();
    HttpClient client = HttpClient.newHttpClient(); // does not follow redirects
    HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(base
        + "/ui/search")).header("accept", "text/html").build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(401);
    assertThat(page.body()).contains("/login?next=%2Fui%2Fsearch");
    assertThat(client.send(HttpRequest.newBuilder(URI.create(base + "/login")).build(),
        HttpResponse.BodyHandlers.ofString()).body()).contains("<form");

    assertThat(login(client, base, SecuredServers.WRONG).statusCode()).isEqualTo(401);
    assertThat(login(client, base, SecuredServers.A_INGEST).statusCode()).isEqualTo(403);
    HttpResponse<String> ok = login(client, base, SecuredServers.A_READ);
    assertThat(ok.statusCode()).isEqualTo(303);
    assertThat(ok.headers().firstValue("location")).hasValue("/ui/search");
    String setCookie = ok.headers().firstValue("set-cookie").orElseThrow();
    assertThat(setCookie).startsWith("sextant_session=").contains("Secure")
        .containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict")
        .doesNotContain(SecuredServers.A_READ);
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    HttpResponse<String> ui = get(client, base + "/ui/search", cookie);
    assertThat(ui.statusCode()).isEqualTo(200);
    assertThat(get(client, base + "/api/services", cookie).statusCode()).isEqualTo(200);
    // A reader's session is still a reader: no admin routes.
    assertThat(client.send(HttpRequest.newBuilder(URI.create(base + "/-/reload"))
        .header("cookie", cookie).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);

    HttpResponse<String> out = get(client, base + "/logout", cookie);
    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(out.headers().firstValue("set-cookie").orElseThrow()).contains("Max-Age=0");
    assertThat(get(client, base + "/ui/search", cookie).statusCode()).isEqualTo(401);
    // Redirects after login stay on this server.
    assertThat(login(client, base, SecuredServers.A_READ, "//evil.example/x").headers()
        .firstValue("location")).hasValue("/ui");
  }

  private static HttpResponse<String> get(HttpClient client, String url, String cookie)
      throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url)).header("cookie", cookie).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> login(HttpClient client, String base, String token)
      throws Exception {
    return login(client, base, token, "/ui/search");
  }

  private static HttpResponse<String> login(HttpClient client, String base, String token,
      String next) throws Exception {
    String form = "token=" + URLEncoder.encode(token, "UTF-8") + "&next="
        + URLEncoder.encode(next, "UTF-8");
    return client.send(HttpRequest.newBuilder(URI.create(base + "/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
