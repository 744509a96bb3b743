package dev.sextant.query.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.sextant.query.promql.EngineOptions;
import dev.sextant.query.promql.PromqlEngine;
import dev.sextant.query.signals.RedFixture;
import dev.sextant.query.trace.LogCounts;
import dev.sextant.storage.embedded.EmbeddedStorage;
import dev.sextant.storage.LogRecord;
import dev.sextant.storage.Span;
import dev.sextant.storage.SpanKind;
import dev.sextant.storage.StatusCode;
import dev.sextant.storage.Storage;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.metrics.TimeSeries;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real EmbeddedStorage, real Armeria server on an ephemeral port, real HTTP client. */
class QueryApiEndToEndTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String T1 = "11111111111111111111111111111111";
  static final String T2 = "22222222222222222222222222222222";
  static final String CART_SPAN = "c000000000000001";
  static final long NOW_MS = System.currentTimeMillis();
  static final long BASE = (NOW_MS - 600_000) * 1_000_000L;

  @TempDir
  static Path dir;
  static Storage storage;
  static Server server;
  static Server noEngine;
  static WebClient client;

  @BeforeAll
  static void start() throws Exception {
    storage = EmbeddedStorage.open(dir.resolve("data"));
    storage.spanConsumer().accept(List.of(
        span(T1, "f000000000000001", "", "frontend", "GET /cart", SpanKind.SERVER, 0, 300,
            StatusCode.UNSET, Map.of("http.route", "/cart")),
        span(T1, "f000000000000002", "f000000000000001", "frontend", "GET cart", SpanKind.CLIENT,
            10, 250, StatusCode.UNSET, Map.of()),
        span(T1, CART_SPAN, "f000000000000002", "cart", "GET /items", SpanKind.SERVER, 20, 240,
            StatusCode.ERROR, Map.of("correlation_id", "corr-1")),
        span(T1, "c000000000000002", CART_SPAN, "cart", "SELECT items", SpanKind.CLIENT, 30, 100,
            StatusCode.UNSET, Map.of("peer.service", "postgres")),
        span(T2, "f000000000000003", "", "frontend", "GET /home", SpanKind.SERVER, 1000, 1005,
            StatusCode.OK, Map.of("http.route", "/home")))).join();
    storage.logConsumer().accept(List.of(
        log(100, 9, "INFO", "cart loaded", T1, "f000000000000001", ""),
        log(200, 17, "ERROR", "payment declined for order 42", T1, CART_SPAN, "corr-1"),
        log(300, 13, "WARN", "disk almost full", "", "", ""))).join();
    List<TimeSeries> red = new ArrayList<>(
        RedFixture.series("frontend", "checkout", "SPAN_KIND_SERVER", NOW_MS - 600_000, 10, 1));
    storage.metricWriter().write(red).join();
    awaitIndexed();

    ServerBuilder sb = Server.builder().http(0)
        .gracefulShutdownTimeout(Duration.ZERO, Duration.ZERO);
    sb.service(QueryApi.builder().storage(storage)
        .engine(PromqlEngine.of(storage.metricReader(), EngineOptions.defaults())).build());
    server = sb.build();
    server.start().join();
    client = WebClient.of("http://127.0.0.1:" + server.activeLocalPort());

    ServerBuilder sb2 = Server.builder().http(0)
        .gracefulShutdownTimeout(Duration.ZERO, Duration.ZERO);
    sb2.defaultVirtualHost().service(QueryApi.builder().storage(storage).build());
    noEngine = sb2.build();
    noEngine.start().join();
  }

  /** Spans become searchable shortly after their write is acknowledged. */
  static void awaitIndexed() throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      if (storage.spanSearch().search(TraceQuery.builder().build()).size() == 2) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("spans not indexed");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop().join();
    }
    if (noEngine != null) {
      noEngine.stop().join();
    }
    if (storage != null) {
      storage.close();
    }
  }

  static Span span(String trace, String id, String parent, String service, String name,
      SpanKind kind, long startMs, long endMs, StatusCode status, Map<String, Object> attrs) {
    return Span.builder().traceId(trace).spanId(id).parentSpanId(parent).serviceName(service)
        .name(name).kind(kind).startTimeUnixNano(BASE + startMs * 1_000_000L)
        .endTimeUnixNano(BASE + endMs * 1_000_000L).statusCode(status).attributes(attrs)
        .resourceAttributes(Map.of("service.name", service)).build();
  }

  static LogRecord log(long atMs, int severity, String text, String body, String trace,
      String span, String corr) {
    return LogRecord.builder().timeUnixNano(BASE + atMs * 1_000_000L).severityNumber(severity)
        .severityText(text).body(body).traceId(trace).spanId(span).correlationId(corr)
        .serviceName(trace.isEmpty() ? "ops" : "cart").build();
  }

  static JsonNode get(String path, int status) throws Exception {
    AggregatedHttpResponse r = client.get(path).aggregate().join();
    assertThat(r.status().code()).as(path + " -> " + r.contentUtf8()).isEqualTo(status);
    assertThat(r.contentType().toString()).startsWith("application/json");
    return JSON.readTree(r.contentUtf8());
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void services_andOperations() throws Exception {
    assertThat(get("/api/services", 200).toString())
        .isEqualTo("{\"services\":[\"cart\",\"frontend\"]}");
    assertThat(get("/api/services/frontend/operations", 200).get("operations").toString())
        .isEqualTo("[\"GET /cart\",\"GET /home\",\"GET cart\"]");
    assertThat(get("/api/services/nope/operations", 200).get("operations").size()).isZero();
  }

  @Test
  void search_byServiceErrorTagsDuration() throws Exception {
    JsonNode r = get("/api/search?service=cart&error=true", 200);
    assertThat(r.get("traces").size()).isEqualTo(1);
    JsonNode t = r.get("traces").get(0);
    assertThat(t.get("traceId").asText()).isEqualTo(T1);
    assertThat(t.get("rootService").asText()).isEqualTo("frontend");
    assertThat(t.get("rootName").asText()).isEqualTo("GET /cart");
    assertThat(t.get("spanCount").asInt()).isEqualTo(4);
    assertThat(t.get("errorCount").asInt()).isEqualTo(1);
    assertThat(t.get("durationNanos").asLong()).isEqualTo(300_000_000L);
    assertThat(t.get("startTimeUnixNano").asText()).isEqualTo(Long.toString(BASE));
    assertThat(t.get("services").toString()).isEqualTo("[\"cart\",\"frontend\"]");

    assertThat(ids(get("/api/search?tags=" + enc("http.route=/home"), 200))).containsExactly(T2);
    assertThat(ids(get("/api/search?attr.http.route=/cart", 200))).containsExactly(T1);
    assertThat(ids(get("/api/search?minDuration=100ms", 200))).containsExactly(T1);
    assertThat(ids(get("/api/search?maxDuration=10ms", 200))).containsExactly(T2);
    assertThat(ids(get("/api/search?service=frontend&sort=duration&limit=1", 200)))
        .containsExactly(T1);
    assertThat(ids(get("/api/search?service=frontend&sort=start", 200)))
        .containsExactly(T2, T1);
    long from = BASE / 1_000_000_000L + 1;
    assertThat(ids(get("/api/search?start=" + from + "&operation=" + enc("GET /home"), 200)))
        .containsExactly(T2);
  }

  @Test
  void search_badParametersAre400WithTheParameterNamed() throws Exception {
    assertThat(get("/api/search?start=abc", 400).toString()).isEqualTo(
        "{\"status\":400,\"error\":\"start: 'abc' (expected: RFC3339 or unix seconds/ms/ns)\"}");
    assertThat(get("/api/search?limit=5000", 400).get("error").asText())
        .isEqualTo("limit: '5000' (expected: an integer 1-1000)");
    assertThat(get("/api/search?minDuration=5", 400).get("error").asText())
        .startsWith("minDuration: '5' (expected: a duration");
    assertThat(get("/api/search?sort=name", 400).get("error").asText())
        .isEqualTo("sort: 'name' (expected: start or duration)");
    assertThat(get("/api/search?start=2024-01-01T00:00:00Z&end=2024-03-01T00:00:00Z", 400)
        .get("error").asText()).contains("at most 31 days");
    assertThat(get("/api/logs?severity=loud", 400).get("error").asText())
        .startsWith("severity: 'loud'");
    assertThat(get("/api/traces/xyz/logs", 400).get("error").asText())
        .isEqualTo("traceId: 'xyz' (expected: 32 hex characters, not all zero)");
    // An all-zero ID is invalid (OTLP): a bad request on every API, never a lookup.
    String zero = "0".repeat(32);
    assertThat(get("/api/traces/" + zero + "/logs", 400).get("error").asText())
        .isEqualTo("traceId: '" + zero + "' (expected: 32 hex characters, not all zero)");
    assertThat(get("/jaeger/api/traces/0", 400).get("errors").get(0).get("msg").asText())
        .isEqualTo("traceID: '0' (expected: 1-32 hex characters, not all zero)");
    assertThat(get("/api/dependencies?end=nope", 400).get("error").asText())
        .startsWith("end: 'nope'");
  }

  @Test
  void search_hostileTimesAndDurationsAre400AtOnce() throws Exception {
    long t0 = System.nanoTime();
    for (String t : new String[] {"1e-500000000", "1e309", "NaN", "Infinity", "1d",
        "1e-5000000000000000000000"}) {
      assertThat(get("/api/search?start=" + t, 400).get("error").asText())
          .isEqualTo("start: '" + t + "' (expected: RFC3339 or unix seconds/ms/ns)");
      assertThat(get("/api/logs?end=" + t, 400).get("error").asText()).startsWith("end: '");
    }
    String huge = "9".repeat(3_000);
    assertThat(get("/api/search?minDuration=" + huge + "s", 400).get("error").asText())
        .isEqualTo("minDuration: '" + "9".repeat(64) + "...' (expected: a duration like 100ms, "
            + "1.5s, 2m or 1h30m)");
    assertThat(get("/api/services/cart/signals?step=0ms", 400).get("error").asText())
        .startsWith("step: '0ms'");
    assertThat(get("/jaeger/api/traces?service=cart&lookback=" + huge + "h", 400)
        .get("errors").toString()).contains("lookback");
    // Generous bound for a loaded box: each answer takes milliseconds.
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(10_000);
  }

  @Test
  void logs_searchFilterAndPage() throws Exception {
    JsonNode r = get("/api/logs?q=payment", 200);
    assertThat(r.get("records").size()).isEqualTo(1);
    JsonNode rec = r.get("records").get(0);
    assertThat(rec.get("body").asText()).isEqualTo("payment declined for order 42");
    assertThat(rec.get("severityNumber").asInt()).isEqualTo(17);
    assertThat(rec.get("traceId").asText()).isEqualTo(T1);
    assertThat(rec.get("spanId").asText()).isEqualTo(CART_SPAN);
    assertThat(rec.get("correlationId").asText()).isEqualTo("corr-1");
    assertThat(rec.get("timeUnixNano").asText()).isEqualTo(Long.toString(BASE + 200_000_000L));

    assertThat(bodies(get("/api/logs?severity=warn", 200)))
        .containsExactly("disk almost full", "payment declined for order 42");
    assertThat(bodies(get("/api/logs?service=ops", 200))).containsExactly("disk almost full");
    assertThat(bodies(get("/api/logs?traceId=" + T1 + "&spanId=" + CART_SPAN, 200)))
        .containsExactly("payment declined for order 42");
    assertThat(bodies(get("/api/logs?correlationId=corr-1", 200)))
        .containsExactly("payment declined for order 42");

    JsonNode page1 = get("/api/logs?limit=2", 200);
    assertThat(bodies(page1)).containsExactly("disk almost full", "payment declined for order 42");
    String cursor = page1.get("nextCursor").asText();
    assertThat(cursor).isNotEmpty();
    JsonNode page2 = get("/api/logs?limit=2&cursor=" + enc(cursor), 200);
    assertThat(bodies(page2)).containsExactly("cart loaded");
    assertThat(page2.get("nextCursor").asText()).isEmpty();
  }

  @Test
  void traceLogs_allOrOneSpan() throws Exception {
    assertThat(bodies(get("/api/traces/" + T1 + "/logs", 200)))
        .containsExactly("payment declined for order 42", "cart loaded");
    assertThat(bodies(get("/api/traces/" + T1 + "/logs?spanId=f000000000000001", 200)))
        .containsExactly("cart loaded");
    assertThat(get("/api/traces/" + T2 + "/logs", 200).get("records").size()).isZero();
  }

  @Test
  void logCounts_perSpanOfATrace() {
    var counts = LogCounts.of(storage.logReader(), T1);
    assertThat(counts.applyAsInt(CART_SPAN)).isEqualTo(1);
    assertThat(counts.applyAsInt("f000000000000001")).isEqualTo(1);
    assertThat(counts.applyAsInt("c000000000000002")).isZero();
  }

  @Test
  void correlation_logsTracesAndSpans() throws Exception {
    JsonNode r = get("/api/correlations/corr-1", 200);
    assertThat(r.get("correlationId").asText()).isEqualTo("corr-1");
    assertThat(bodies(r)).containsExactly("payment declined for order 42");
    assertThat(r.get("traces").size()).isEqualTo(1);
    JsonNode t = r.get("traces").get(0);
    assertThat(t.get("traceId").asText()).isEqualTo(T1);
    assertThat(t.get("rootService").asText()).isEqualTo("frontend");
    assertThat(t.get("spanCount").asInt()).isEqualTo(4);
    assertThat(t.get("errorCount").asInt()).isEqualTo(1);
    assertThat(r.get("spans").size()).isEqualTo(1);
    assertThat(r.get("spans").get(0).get("spanId").asText()).isEqualTo(CART_SPAN);
    JsonNode none = get("/api/correlations/nothing", 200);
    assertThat(none.get("logs").size()).isZero();
    assertThat(none.get("traces").size()).isZero();
  }

  @Test
  void dependencies_edgesWithCallsErrorsLatency() throws Exception {
    JsonNode r = get("/api/dependencies", 200);
    assertThat(r.get("tracesScanned").asInt()).isEqualTo(2);
    assertThat(r.get("truncated").asBoolean()).isFalse();
    assertThat(r.get("maxTraces").asInt()).isEqualTo(500);
    assertThat(r.get("services").toString())
        .isEqualTo("[\"cart\",\"frontend\",\"postgres\"]");
    assertThat(r.get("edges").toString()).isEqualTo("["
        + "{\"caller\":\"cart\",\"callee\":\"postgres\",\"calls\":1,\"errors\":0,\"errorRate\":0.0,"
        + "\"latencyNanos\":{\"p50\":70000000,\"p90\":70000000,\"p99\":70000000}},"
        + "{\"caller\":\"frontend\",\"callee\":\"cart\",\"calls\":1,\"errors\":1,\"errorRate\":1.0,"
        + "\"latencyNanos\":{\"p50\":220000000,\"p90\":220000000,\"p99\":220000000}}]");
    assertThat(get("/api/dependencies?maxTraces=1", 200).get("truncated").asBoolean()).isTrue();
  }

  @Test
  void signals_throughThePromqlEngine() throws Exception {
    long start = NOW_MS / 1000 - 300;
    long end = NOW_MS / 1000 - 60;
    JsonNode r = get("/api/services/frontend/signals?start=" + start + "&end=" + end
        + "&step=60s&window=1m", 200);
    assertThat(r.get("spanKind").asText()).isEqualTo("SPAN_KIND_SERVER");
    assertThat(r.get("stepMs").asLong()).isEqualTo(60_000);
    JsonNode s = r.get("signals");
    assertThat(s.get("traffic").get("unit").asText()).isEqualTo("requests/s");
    assertThat(s.get("traffic").get("query").asText()).contains("traces_span_metrics_calls_total");
    assertThat(lastPoint(s.get("traffic"))).isCloseTo(1.0, within(1e-9));
    assertThat(s.get("traffic").get("series").get(0).get("points").get(0).get(0).asLong())
        .isEqualTo(start * 1000);
    assertThat(lastPoint(s.get("errors"))).isCloseTo(0.1, within(1e-9));
    assertThat(lastPoint(s.get("latency.p50"))).isCloseTo(0.0875, within(1e-9));
    assertThat(lastPoint(s.get("latency.p99"))).isCloseTo(0.36, within(1e-9));
    assertThat(s.has("saturation.cpu")).isFalse();

    JsonNode op = get("/api/services/frontend/operations/checkout/signals?start=" + start
        + "&end=" + end + "&step=60s", 200);
    assertThat(op.get("operation").asText()).isEqualTo("checkout");
    assertThat(lastPoint(op.get("signals").get("traffic"))).isCloseTo(1.0, within(1e-9));

    assertThat(get("/api/services/frontend/signals?step=0s", 400).get("error").asText())
        .isEqualTo("step: '0s' (expected: a duration of at least 1ms)");
    assertThat(get("/api/services/frontend/signals?step=1ms", 400).get("error").asText())
        .startsWith("step: '1ms' (expected: at most 11000 points");
    AggregatedHttpResponse unavailable = WebClient.of("http://127.0.0.1:"
        + noEngine.activeLocalPort()).get("/api/services/frontend/signals").aggregate().join();
    assertThat(unavailable.status().code()).isEqualTo(503);
    assertThat(unavailable.contentUtf8()).contains("PromQL engine");
  }

  @Test
  void jaeger_servicesOperationsEnvelope() throws Exception {
    assertThat(get("/jaeger/api/services", 200).toString()).isEqualTo(
        "{\"data\":[\"cart\",\"frontend\"],\"total\":2,\"limit\":0,\"offset\":0,\"errors\":null}");
    assertThat(get("/jaeger/api/services/cart/operations", 200).get("data").toString())
        .isEqualTo("[\"GET /items\",\"SELECT items\"]");
    assertThat(get("/jaeger/api/operations?service=cart", 200).get("data").get(0).toString())
        .isEqualTo("{\"name\":\"GET /items\",\"spanKind\":\"\"}");
  }

  @Test
  void jaeger_tracesSearchAndById() throws Exception {
    long endUs = NOW_MS * 1000;
    JsonNode r = get("/jaeger/api/traces?service=cart&tags="
        + enc("{\"correlation_id\":\"corr-1\"}") + "&start=" + (endUs - 3_600_000_000L)
        + "&end=" + endUs + "&limit=20", 200);
    assertThat(r.get("total").asInt()).isEqualTo(1);
    JsonNode trace = r.get("data").get(0);
    assertThat(trace.get("traceID").asText()).isEqualTo(T1);
    assertThat(trace.get("spans").size()).isEqualTo(4);
    assertThat(trace.get("processes").size()).isEqualTo(2);
    JsonNode root = trace.get("spans").get(0);
    assertThat(root.get("operationName").asText()).isEqualTo("GET /cart");
    assertThat(root.get("startTime").asLong()).isEqualTo(BASE / 1000);
    assertThat(root.get("duration").asLong()).isEqualTo(300_000);
    JsonNode client = trace.get("spans").get(1);
    assertThat(client.get("references").get(0).get("refType").asText()).isEqualTo("CHILD_OF");
    assertThat(client.get("references").get(0).get("spanID").asText())
        .isEqualTo("f000000000000001");
    String pid = trace.get("spans").get(2).get("processID").asText();
    assertThat(trace.get("processes").get(pid).get("serviceName").asText()).isEqualTo("cart");

    JsonNode byId = get("/jaeger/api/traces/" + T2, 200);
    assertThat(byId.get("data").get(0).get("spans").size()).isEqualTo(1);
    // Hex in either case; short IDs are left-padded (IdsTest).
    String upper = T2.toUpperCase(Locale.ROOT);
    assertThat(get("/jaeger/api/traces/" + upper, 200).get("data").get(0).get("spans").size())
        .isEqualTo(1);
    JsonNode missing = get("/jaeger/api/traces/" + "3".repeat(32), 404);
    assertThat(missing.get("data").isNull()).isTrue();
    assertThat(missing.get("errors").get(0).toString())
        .isEqualTo("{\"code\":404,\"msg\":\"trace not found\"}");
    assertThat(get("/jaeger/api/traces?start=abc", 400).get("errors").get(0).get("msg").asText())
        .isEqualTo("start: 'abc' (expected: unix microseconds)");
  }

  @Test
  void jaeger_dependencies() throws Exception {
    JsonNode r = get("/jaeger/api/dependencies?endTs=" + NOW_MS + "&lookback=3600000", 200);
    assertThat(r.get("data").toString()).isEqualTo("["
        + "{\"parent\":\"cart\",\"child\":\"postgres\",\"callCount\":1},"
        + "{\"parent\":\"frontend\",\"child\":\"cart\",\"callCount\":1}]");
    assertThat(get("/jaeger/api/dependencies?lookback=-1", 400).get("errors").get(0)
        .get("code").asInt()).isEqualTo(400);
  }

  private static List<String> ids(JsonNode search) {
    List<String> out = new ArrayList<>();
    search.get("traces").forEach(t -> out.add(t.get("traceId").asText()));
    return out;
  }

  private static List<String> bodies(JsonNode page) {
    List<String> out = new ArrayList<>();
    JsonNode records = page.has("records") ? page.get("records") : page.get("logs");
    records.forEach(r -> out.add(r.get("body").asText()));
    return out;
  }

  private static double lastPoint(JsonNode signal) {
    JsonNode points = signal.get("series").get(0).get("points");
    return points.get(points.size() - 1).get(1).asDouble();
  }
}
