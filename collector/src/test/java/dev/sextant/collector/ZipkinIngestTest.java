package dev.sextant.collector;

import dev.sextant.collector.limits.RateLimits;
import dev.sextant.collector.limits.Signal;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.sextant.storage.embedded.EmbeddedStorage;
import dev.sextant.storage.Span;
import dev.sextant.storage.SpanKind;
import dev.sextant.storage.Storage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zipkin2.Endpoint;
import zipkin2.Span.Kind;
import zipkin2.codec.SpanBytesEncoder;

/**
 * {@code POST /api/v2/spans} on a real Armeria server, collector and store, mounted as the server
 * mounts it ({@code service(collector.zipkinService())}): 202 once durable, and the OTLP path's
 * refusals with Zipkin's plain-text bodies.
 */
class ZipkinIngestTest {
  private static final long NOW_MICROS = System.currentTimeMillis() * 1000;
  private static final String TRACE = "463ac35c9f6413ad48485a3953bb6124";

  @TempDir
  Path dir;

  private static String json(String id, String extra) {
    return "{\"traceId\":\"" + TRACE + "\",\"id\":\"" + id + "\",\"name\":\"get\",\"timestamp\":"
        + NOW_MICROS + ",\"duration\":150,\"kind\":\"SERVER\",\"localEndpoint\":"
        + "{\"serviceName\":\"backend\"}" + extra + "}";
  }

  @Test
  void post_jsonProtoAndGzip_areStoredThenAnswered202() throws Exception {
    try (Stack s = new Stack(dir, b -> b)) {
      AggregatedHttpResponse r = s.post("application/json", null,
          ("[" + json("0000000000000001", "") + "]").getBytes(UTF_8));
      assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(202);
      assertThat(r.contentUtf8()).isEmpty();
      byte[] proto = SpanBytesEncoder.PROTO3.encodeList(List.of(zipkin2.Span.newBuilder()
          .traceId(TRACE).id("2").parentId("1").kind(Kind.CLIENT).name("query")
          .timestamp(NOW_MICROS + 10).duration(50L)
          .localEndpoint(Endpoint.newBuilder().serviceName("backend").build())
          .remoteEndpoint(Endpoint.newBuilder().serviceName("postgres").ip("10.0.0.9").build())
          .build()));
      r = s.post("application/x-protobuf", "gzip", gzip(proto));
      assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(202);
      r = s.post("application/json; charset=utf-8", "gzip",
          gzip(("[" + json("0000000000000003", ",\"parentId\":\"1\"") + "]").getBytes(UTF_8)));
      assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(202);
      // Acknowledged means durable: readable at once, no waiting.
      List<Span> trace = s.storage.traceReader().getTrace(TRACE);
      assertThat(trace).extracting(sp -> sp.spanId().substring(15) + ":" + sp.kind())
          .containsExactlyInAnyOrder("1:SERVER", "2:CLIENT", "3:SERVER");
      Span client = trace.stream().filter(sp -> sp.kind() == SpanKind.CLIENT).findFirst()
          .orElseThrow();
      assertThat(client.attributes()).containsEntry("peer.service", "postgres")
          .containsEntry("server.address", "10.0.0.9");
    }
  }

  @Test
  void post_badBody_is400NamingTheFieldAndStoresNothing() throws Exception {
    try (Stack s = new Stack(dir, b -> b)) {
      AggregatedHttpResponse r = s.post("application/json", null, ("[" + json("1", "") + ","
          + "{\"traceId\":\"" + TRACE + "\",\"id\":\"2\",\"kind\":\"SERVERLESS\"}]")
          .getBytes(UTF_8));
      assertThat(r.status().code()).isEqualTo(400);
      assertThat(r.contentType().is(MediaType.PLAIN_TEXT)).isTrue();
      assertThat(r.contentUtf8()).startsWith("spans[1].kind: 'SERVERLESS' (expected: CLIENT,")
          .endsWith("nothing from this request was stored");
      r = s.post("application/x-protobuf", null, new byte[] {0x0a, 0x7f, 1});
      assertThat(r.status().code()).isEqualTo(400);
      assertThat(r.contentUtf8()).startsWith("spans[0]: malformed protobuf");
      r = s.post("application/json", "gzip", "not gzip".getBytes(UTF_8));
      assertThat(r.status().code()).isEqualTo(400);
      assertThat(r.contentUtf8()).startsWith("body: invalid gzip data");
      assertThat(s.storage.traceReader().getTrace(TRACE)).isEmpty();
    }
  }

  @Test
  void post_otherTypesMethodsAndSizes_areRefused() throws Exception {
    try (Stack s = new Stack(dir, b -> b.maxRequestBytes(4096))) {
      AggregatedHttpResponse r = s.post("application/x-thrift", null, new byte[] {1});
      assertThat(r.status().code()).isEqualTo(415);
      assertThat(r.contentUtf8()).contains("expected: application/x-protobuf or application/json");
      assertThat(s.http.get("/api/v2/spans").aggregate().join().status().code()).isEqualTo(405);
      String big = "[" + json("1", ",\"tags\":{\"k\":\"" + "x".repeat(5000) + "\"}") + "]";
      r = s.post("application/json", null, big.getBytes(UTF_8));
      assertThat(r.status().code()).isEqualTo(413);
      // Small on the wire, over the limit once inflated.
      r = s.post("application/json", "gzip", gzip(big.getBytes(UTF_8)));
      assertThat(r.status().code()).isEqualTo(413);
      assertThat(r.contentUtf8()).contains("decompressed size over 4096 bytes");
      assertThat(s.storage.traceReader().getTrace(TRACE)).isEmpty();
    }
  }

  @Test
  void post_overTheTenantsRateOrTheQueue_isRetryable() throws Exception {
    // 1 span per 100 s: a request over the burst is let through once, into debt; the next waits.
    try (Stack s = new Stack(dir, b -> b.rateLimits(RateLimits.create().tenantLimit("alpha",
        Signal.TRACES, new RateLimits.Limit(0.01, 1))))) {
      RequestHeaders alpha = RequestHeaders.builder(HttpMethod.POST, "/api/v2/spans")
          .contentType(MediaType.JSON).add("x-scope-orgid", "alpha").build();
      String three = "[" + json("1", "") + "," + json("2", "") + "," + json("3", "") + "]";
      AggregatedHttpResponse r = s.http.execute(alpha, HttpData.ofUtf8(three)).aggregate().join();
      assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(202);
      r = s.http.execute(alpha, HttpData.ofUtf8(three)).aggregate().join();
      assertThat(r.status().code()).isEqualTo(429);
      assertThat(r.headers().get("retry-after")).isNotNull();
      assertThat(r.contentUtf8()).contains("tenant 'alpha' is over its traces rate limit");
      // Another tenant is not held back.
      r = s.post("application/json", null, three.getBytes(UTF_8));
      assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(202);
    }
    // The disk guard (nearly no space left) refuses as the OTLP routes do: retry later.
    Path other = dir.resolve("disk-full");
    try (Stack s = new Stack(other, b -> b.minFreeDisk(other, Long.MAX_VALUE))) {
      AggregatedHttpResponse r = s.post("application/json", null,
          ("[" + json("1", "") + "]").getBytes(UTF_8));
      assertThat(r.status().code()).isEqualTo(503);
      assertThat(r.headers().get("retry-after")).isEqualTo("10");
      assertThat(s.storage.traceReader().getTrace(TRACE)).isEmpty();
    }
  }

  @Test
  void post_spanWithoutAnyTime_isDroppedAloneAndNamed() throws Exception {
    try (Stack s = new Stack(dir, b -> b)) {
      AggregatedHttpResponse r = s.post("application/json", null, ("[" + json("1", "")
          + ",{\"traceId\":\"" + TRACE + "\",\"id\":\"2\"}]").getBytes(UTF_8));
      assertThat(r.status().code()).isEqualTo(202);
      assertThat(r.contentUtf8()).startsWith("1 span(s) dropped, the others stored: "
          + "spans[1].timestamp: missing");
      assertThat(s.storage.traceReader().getTrace(TRACE)).hasSize(1);
    }
  }

  static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(body);
    }
    return out.toByteArray();
  }

  /** A real store, collector and Armeria server with only the Zipkin service mounted. */
  private static final class Stack implements AutoCloseable {
    final Storage storage;
    final Collector collector;
    final Server server;
    final WebClient http;

    Stack(Path dir, UnaryOperator<CollectorBuilder> config) {
      storage = EmbeddedStorage.open(dir);
      collector = config.apply(Collector.builder().spanConsumer(storage.spanConsumer()))
          .build();
      ServerBuilder sb = Server.builder().http(0).service(collector.zipkinService());
      server = sb.build();
      server.start().join();
      http = WebClient.builder("http://127.0.0.1:" + server.activeLocalPort())
          .responseTimeoutMillis(60_000).build();
    }

    AggregatedHttpResponse post(String type, String encoding, byte[] body) {
      RequestHeadersBuilder h = RequestHeaders.builder(HttpMethod.POST, "/api/v2/spans")
          .contentType(MediaType.parse(type));
      if (encoding != null) {
        h.add("content-encoding", encoding);
      }
      return http.execute(h.build(), HttpData.wrap(body)).aggregate().join();
    }

    @Override
    public void close() {
      server.stop().join();
      collector.close();
      storage.close();
    }
  }
}
