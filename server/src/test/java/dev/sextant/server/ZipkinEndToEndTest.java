package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;

import brave.Span;
import brave.Tracer;
import brave.Tracing;
import brave.propagation.TraceContext;
import brave.propagation.TraceContextOrSamplingFlags;
import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zipkin2.reporter.Encoding;
import zipkin2.reporter.brave.AsyncZipkinSpanHandler;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/**
 * Zipkin's user story: two services traced by real Brave, reporting through the real Zipkin
 * reporter and URLConnection sender (gzip on), one in proto3 to the UI/API port as it would to
 * Zipkin's :9411, the other in JSON to the OTLP HTTP port; the trace is read back through the
 * query API with the mapped fields, the server's joined (shared) span stored beside the client's.
 */
class ZipkinEndToEndTest {
  @TempDir
  Path dataDir;

  @Test
  void braveThroughZipkinReporter_traceIsReadBackWithMappedFields() {
    try (SextantServer server = SextantServer.builder().dataDir(dataDir).bindAddress("127.0.0.1")
        .grpcPort(0).otlpHttpPort(0).httpPort(0).build()) {
      server.start();
      URLConnectionSender frontendSender = URLConnectionSender.newBuilder()
          .endpoint("http://127.0.0.1:" + server.httpPort() + "/api/v2/spans")
          .encoding(Encoding.PROTO3).compressionEnabled(true).build();
      URLConnectionSender backendSender = URLConnectionSender.newBuilder()
          .endpoint("http://127.0.0.1:" + server.otlpHttpPort() + "/api/v2/spans")
          .encoding(Encoding.JSON).compressionEnabled(true).build();
      String traceId;
      try (AsyncZipkinSpanHandler frontendSpans = AsyncZipkinSpanHandler.create(frontendSender);
           AsyncZipkinSpanHandler backendSpans = AsyncZipkinSpanHandler.create(backendSender);
           Tracing frontend = Tracing.newBuilder().localServiceName("frontend")
               .addSpanHandler(frontendSpans).build();
           Tracing backend = Tracing.newBuilder().localServiceName("backend")
               .supportsJoin(true).addSpanHandler(backendSpans).build()) {
        traceId = call(frontend, backend);
        // flush() sends what is buffered, synchronously; the answer came after durability.
        frontendSpans.flush();
        backendSpans.flush();
      }
      // Brave's default 64-bit trace ID, left-padded to the stored 128 bits.
      assertThat(traceId).hasSize(16);
      TestClient.Response r = TestClient.get(server.httpPort(), "/api/traces/" + "0".repeat(16)
          + traceId);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertTrace(r.json(), "0".repeat(16) + traceId);
    }
  }

  /** frontend's server span calls backend, which joins the client's span and does one query. */
  private static String call(Tracing frontend, Tracing backend) {
    Tracer front = frontend.tracer();
    Span root = front.newTrace().name("get /checkout").kind(Span.Kind.SERVER)
        .tag("http.path", "/checkout").start();
    Span client = front.newChild(root.context()).name("get /price").kind(Span.Kind.CLIENT)
        .remoteServiceName("backend");
    client.remoteIpAndPort("127.0.0.1", 9000);
    client.start();
    Map<String, String> headers = new HashMap<>();
    TraceContext.Injector<Map<String, String>> injector =
        frontend.propagation().injector(Map::put);
    injector.inject(client.context(), headers);

    TraceContext.Extractor<Map<String, String>> extractor =
        backend.propagation().extractor(Map::get);
    TraceContextOrSamplingFlags extracted = extractor.extract(headers);
    Tracer back = backend.tracer();
    Span served = back.joinSpan(extracted.context()).name("get /price").kind(Span.Kind.SERVER);
    served.remoteIpAndPort("127.0.0.2", 51234);
    served.start();
    served.annotate("cache miss");
    Span query = back.newChild(served.context()).name("select price").start();
    query.tag("db.system", "postgresql");
    query.error(new IllegalStateException("connection reset"));
    query.finish();
    served.finish();
    client.finish();
    root.finish();
    return root.context().traceIdString();
  }

  private static void assertTrace(JsonNode t, String traceId) {
    assertThat(t.get("traceId").asText()).isEqualTo(traceId);
    assertThat(t.get("spanCount").asInt()).isEqualTo(4);
    assertThat(t.get("roots")).hasSize(1);
    Map<String, JsonNode> byName = new HashMap<>();
    List<JsonNode> all = new ArrayList<>();
    collect(t.get("roots").get(0), all);
    for (JsonNode n : all) {
      byName.put(n.get("service").asText() + " " + n.get("kind").asText() + " "
          + n.get("name").asText(), n);
    }
    assertThat(byName).containsOnlyKeys("frontend SERVER get /checkout",
        "frontend CLIENT get /price", "backend SERVER get /price",
        "backend INTERNAL select price");
    JsonNode root = byName.get("frontend SERVER get /checkout");
    assertThat(root.get("parentSpanId").asText()).isEmpty();
    assertThat(root.get("attributes").get("http.path").asText()).isEqualTo("/checkout");
    assertThat(root.get("resource").get("service.name").asText()).isEqualTo("frontend");

    JsonNode client = byName.get("frontend CLIENT get /price");
    assertThat(client.get("parentSpanId").asText()).isEqualTo(root.get("spanId").asText());
    assertThat(client.get("attributes").get("peer.service").asText()).isEqualTo("backend");
    assertThat(client.get("attributes").get("server.address").asText()).isEqualTo("127.0.0.1");
    assertThat(client.get("attributes").get("server.port").asLong()).isEqualTo(9000);

    // The joined span: both halves stored; the server's under an ID of its own, below the client.
    JsonNode served = byName.get("backend SERVER get /price");
    assertThat(served.get("spanId").asText()).isNotEqualTo(client.get("spanId").asText());
    assertThat(served.get("parentSpanId").asText()).isEqualTo(client.get("spanId").asText());
    assertThat(served.get("attributes").get("zipkin.shared").asBoolean()).isTrue();
    assertThat(served.get("attributes").get("client.address").asText()).isEqualTo("127.0.0.2");
    assertThat(served.get("events").get(0).get("name").asText()).isEqualTo("cache miss");
    assertThat(Long.parseLong(served.get("startTimeUnixNano").asText())).isPositive();

    JsonNode query = byName.get("backend INTERNAL select price");
    assertThat(query.get("status").get("code").asText()).isEqualTo("ERROR");
    assertThat(query.get("status").get("message").asText()).isEqualTo("connection reset");
    assertThat(query.get("attributes").get("db.system").asText()).isEqualTo("postgresql");
    assertThat(query.get("attributes").has("error")).isFalse();
    // Brave parents the server's children on the shared ID, as stored; the trace tree puts them
    // below the server half, as Jaeger does (docs/zipkin.md, "Shared spans").
    assertThat(query.get("parentSpanId").asText()).isEqualTo(client.get("spanId").asText());
    assertThat(served.get("children")).singleElement()
        .satisfies(c -> assertThat(c.get("spanId").asText())
            .isEqualTo(query.get("spanId").asText()));
    assertThat(client.get("children")).singleElement()
        .satisfies(c -> assertThat(c.get("spanId").asText())
            .isEqualTo(served.get("spanId").asText()));
  }

  private static void collect(JsonNode node, List<JsonNode> out) {
    out.add(node);
    for (JsonNode c : node.get("children")) {
      collect(c, out);
    }
  }

  /**
   * With authentication on, the UI/API port takes Zipkin spans from an ingest token only, into
   * that token's tenant.
   */
  @Test
  void withAuth_ingestTokenStoresIntoItsTenantOnly() {
    try (SextantServer server = SecuredServers.builder(dataDir).build()) {
      server.start();
      long now = System.currentTimeMillis() * 1000;
      String body = "[{\"traceId\":\"7a3f0000000000000000000000000001\",\"id\":\"1\","
          + "\"name\":\"tenant span\",\"timestamp\":" + now + ",\"duration\":10,"
          + "\"localEndpoint\":{\"serviceName\":\"alpha-svc\"}}]";
      assertThat(post(server.httpPort(), body, SecuredServers.A_READ).status().code())
          .isEqualTo(403);
      AggregatedHttpResponse r = post(server.httpPort(), body, SecuredServers.A_INGEST);
      assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(202);
      String path = "/api/traces/7a3f0000000000000000000000000001";
      AggregatedHttpResponse own = SecuredServers.get(server.httpPort(), path,
          SecuredServers.A_READ);
      assertThat(own.status().code()).as(own.contentUtf8()).isEqualTo(200);
      assertThat(own.contentUtf8()).contains("alpha-svc");
      assertThat(SecuredServers.get(server.httpPort(), path, SecuredServers.B_READ).status()
          .code()).isEqualTo(404);
    }
  }

  private static AggregatedHttpResponse post(int port, String json, String token) {
    return WebClient.of("http://127.0.0.1:" + port).execute(RequestHeaders.builder(
        HttpMethod.POST, "/api/v2/spans").contentType(MediaType.JSON)
        .add("authorization", "Bearer " + token).build(),
        json.getBytes(StandardCharsets.UTF_8)).aggregate().join();
  }
}
