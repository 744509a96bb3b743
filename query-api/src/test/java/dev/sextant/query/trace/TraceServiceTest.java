package dev.sextant.query.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import dev.sextant.storage.Span;
import dev.sextant.storage.embedded.EmbeddedStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/traces/{id}} from a real store over a real server: the body, written into a
 * pooled network buffer, is byte for byte what {@link TraceJson#write} gives, also when it
 * outgrows the buffer reserved for it.
 */
class TraceServiceTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String SMALL = "a1000000000000000000000000000001";
  static final String LARGE = "a2000000000000000000000000000002";
  static final long BASE = (System.currentTimeMillis() - 60_000) * 1_000_000L;

  @TempDir
  static Path dir;
  static EmbeddedStorage storage;
  static Server server;
  static WebClient client;

  @BeforeAll
  static void start() {
    storage = EmbeddedStorage.open(dir.resolve("data"));
    List<Span> spans = new ArrayList<>(trace(SMALL, 20, 10));
    // Some 100 KB of attribute a span: far over the ~1 KB a span reserved for the JSON.
    spans.addAll(trace(LARGE, 4, 100_000));
    storage.spanConsumer().accept(spans).join();
    server = Server.builder().http(0).gracefulShutdownTimeout(Duration.ZERO, Duration.ZERO)
        .service("/api/traces/{traceId}",
            new TraceService(storage.traceReader(), storage.logReader()))
        .build();
    server.start().join();
    client = WebClient.of("http://127.0.0.1:" + server.activeLocalPort());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop().join();
    }
    if (storage != null) {
      storage.close();
    }
  }

  static List<Span> trace(String traceId, int n, int attributeChars) {
    List<Span> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Span.builder().traceId(traceId).spanId(String.format("%016x", i + 1))
          .parentSpanId(i == 0 ? "" : String.format("%016x", 1)).serviceName("svc-" + i % 3)
          .name("op \"" + i + "\" é").startTimeUnixNano(BASE + i * 1_000L)
          .endTimeUnixNano(BASE + 1_000_000L)
          .attributes(Map.of("payload", "x".repeat(attributeChars), "n", (long) i)).build());
    }
    return out;
  }

  static byte[] expected(String traceId) {
    TraceRead read = TraceRead.of(storage.traceReader(), traceId, TraceRead.DEFAULT_MAX_SPANS);
    return TraceJson.write(TraceAssembler.assemble(traceId, read.spans()),
        LogCounts.of(storage.logReader(), traceId), read);
  }

  @Test
  void serve_answersTheSameBytesAsTraceJson() throws Exception {
    AggregatedHttpResponse r = client.get("/api/traces/" + SMALL).aggregate().join();
    assertThat(r.status().code()).isEqualTo(200);
    assertThat(r.contentType()).isEqualTo(MediaType.JSON_UTF_8);
    assertThat(r.content().array()).isEqualTo(expected(SMALL));
    assertThat(JSON.readTree(r.contentUtf8()).path("spanCount").asInt()).isEqualTo(20);
  }

  @Test
  void serve_traceLargerThanItsReservedBuffer_answersWhole() throws Exception {
    AggregatedHttpResponse r = client.get("/api/traces/" + LARGE).aggregate().join();
    assertThat(r.status().code()).isEqualTo(200);
    byte[] body = r.content().array();
    assertThat(body.length).isGreaterThan(400_000);
    assertThat(body).isEqualTo(expected(LARGE));
    JsonNode root = JSON.readTree(body).path("roots").get(0);
    assertThat(root.path("attributes").path("payload").asText()).hasSize(100_000);
    assertThat(root.path("children")).hasSize(3);
  }

  @Test
  void serve_unknownTrace_is404() {
    AggregatedHttpResponse r =
        client.get("/api/traces/a3000000000000000000000000000003").aggregate().join();
    assertThat(r.status().code()).isEqualTo(404);
  }
}
