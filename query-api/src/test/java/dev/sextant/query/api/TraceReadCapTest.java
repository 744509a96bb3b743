package dev.sextant.query.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.sextant.query.trace.TraceService;
import dev.sextant.storage.embedded.EmbeddedStorage;
import dev.sextant.storage.Span;
import dev.sextant.storage.SpanKind;
import dev.sextant.storage.Storage;
import dev.sextant.storage.TraceQuery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trace read returns at most the cap's spans and says it was cut, over real HTTP from a real
 * store: the native trace API, Jaeger's trace and search, with a cap of 10.
 */
class TraceReadCapTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int CAP = 10;
  static final String BIG = "b1000000000000000000000000000001"; // 50 spans
  static final String EXACT = "e1000000000000000000000000000001"; // exactly CAP spans
  static final long BASE = (System.currentTimeMillis() - 60_000) * 1_000_000L;

  @TempDir
  static Path dir;
  static Storage storage;
  static Server server;
  static WebClient client;

  @BeforeAll
  static void start() throws Exception {
    storage = EmbeddedStorage.open(dir.resolve("data"));
    List<Span> spans = new ArrayList<>();
    spans.addAll(trace(BIG, 50));
    spans.addAll(trace(EXACT, CAP));
    storage.spanConsumer().accept(spans).join();
    for (int i = 0; i < 200
        && storage.spanSearch().search(TraceQuery.builder().build()).size() < 2; i++) {
      Thread.sleep(50);
    }
    ServerBuilder sb = Server.builder().http(0)
        .gracefulShutdownTimeout(Duration.ZERO, Duration.ZERO);
    // /api/traces/{traceId} is one of the query API's routes, capped like the others.
    sb.service(QueryApi.builder().storage(storage).maxSpansPerTrace(CAP).build());
    server = sb.build();
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

  static List<Span> trace(String traceId, int n) {
    List<Span> out = new ArrayList<>();
    String root = traceId.substring(0, 2) + "00000000000000";
    for (int i = 0; i < n; i++) {
      String id = i == 0 ? root : String.format("%s%014x", traceId.substring(0, 2), i);
      out.add(Span.builder().traceId(traceId).spanId(id).parentSpanId(i == 0 ? "" : root)
          .serviceName("big").name(i == 0 ? "GET /" : "step " + i)
          .kind(i == 0 ? SpanKind.SERVER : SpanKind.INTERNAL)
          .startTimeUnixNano(BASE + i * 1_000L).endTimeUnixNano(BASE + 1_000_000L).build());
    }
    return out;
  }

  static JsonNode get(String path) throws Exception {
    AggregatedHttpResponse r = client.get(path).aggregate().join();
    assertThat(r.status().code()).as(path + ": " + r.contentUtf8()).isEqualTo(200);
    return JSON.readTree(r.contentUtf8());
  }

  @Test
  void trace_overTheCap_returnsExactlyCapSpansAndTruncated() throws Exception {
    JsonNode t = get("/api/traces/" + BIG);
    assertThat(t.path("truncated").asBoolean()).isTrue();
    assertThat(t.path("maxSpans").asInt()).isEqualTo(CAP);
    assertThat(t.path("spanCount").asInt()).isEqualTo(CAP);
    assertThat(countNodes(t.path("roots"))).isEqualTo(CAP);
    assertThat(t.path("warnings").get(0).asText()).contains("trace truncated at 10 spans");
  }

  @Test
  void trace_atTheCap_isWholeAndNotTruncated() throws Exception {
    JsonNode t = get("/api/traces/" + EXACT);
    assertThat(t.path("truncated").asBoolean()).isFalse();
    assertThat(t.path("maxSpans").asInt()).isEqualTo(CAP);
    assertThat(t.path("spanCount").asInt()).isEqualTo(CAP);
    assertThat(t.path("warnings")).isEmpty();
  }

  @Test
  void jaegerTrace_overTheCap_returnsCapSpansWithAWarning() throws Exception {
    JsonNode t = get("/jaeger/api/traces/" + BIG).path("data").get(0);
    assertThat(t.path("spans")).hasSize(CAP);
    assertThat(t.path("truncated").asBoolean()).isTrue();
    assertThat(t.path("warnings").get(0).asText()).contains("trace truncated at 10 spans");
    JsonNode whole = get("/jaeger/api/traces/" + EXACT).path("data").get(0);
    assertThat(whole.path("spans")).hasSize(CAP);
    assertThat(whole.has("truncated")).isFalse();
  }

  @Test
  void jaegerSearch_readsAtMostTheCapOverAllTraces() throws Exception {
    JsonNode data = get("/jaeger/api/traces?service=big&lookback=1h&limit=20").path("data");
    int spans = 0;
    for (JsonNode t : data) {
      spans += t.path("spans").size();
    }
    assertThat(data).isNotEmpty();
    assertThat(spans).isLessThanOrEqualTo(CAP);
  }

  @Test
  void dependencies_readAtMostTheCapOverAllTraces() throws Exception {
    JsonNode g = get("/api/dependencies?lookback=1h");
    assertThat(g.path("truncated").asBoolean()).as(g.toString()).isTrue();
  }

  @Test
  void builder_refusesABadCap() {
    assertThatThrownBy(() -> QueryApi.builder().maxSpansPerTrace(0))
        .hasMessage("maxSpansPerTrace: 0 (expected: 1-10000000)");
    assertThatThrownBy(() -> new TraceService(storage.traceReader(), null, -1))
        .hasMessage("maxSpans: -1 (expected: 1-10000000)");
  }

  private static int countNodes(JsonNode nodes) {
    int n = 0;
    Set<String> seen = new HashSet<>();
    List<JsonNode> stack = new ArrayList<>();
    nodes.forEach(stack::add);
    while (!stack.isEmpty()) {
      JsonNode x = stack.remove(stack.size() - 1);
      assertThat(seen.add(x.path("spanId").asText())).isTrue();
      n++;
      x.path("children").forEach(stack::add);
    }
    return n;
  }
}
