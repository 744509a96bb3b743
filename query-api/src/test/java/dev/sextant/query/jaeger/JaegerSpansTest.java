package dev.sextant.query.jaeger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.QueryParams;
import dev.sextant.storage.Span;
import dev.sextant.storage.SpanEvent;
import dev.sextant.storage.SpanKind;
import dev.sextant.storage.SpanLink;
import dev.sextant.storage.StatusCode;
import dev.sextant.storage.TraceQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shape follows jaeger-query's UI model (model/json) as jaeger-ui and Grafana read it. */
class JaegerSpansTest {
  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  @Test
  void trace_convertsSpansToJaegerModel() throws Exception {
    Span root = Span.builder().traceId(TRACE).spanId("00f067aa0ba902b7").name("GET /cart")
        .kind(SpanKind.SERVER).startTimeUnixNano(1_700_000_000_000_000_000L)
        .endTimeUnixNano(1_700_000_000_250_000_000L).serviceName("frontend")
        .resourceAttributes(Map.of("service.name", "frontend", "host.name", "h1"))
        .attributes(Map.of("http.status_code", 500L, "sampled", true, "ratio", 0.5,
            "raw", new byte[] {1, 2}, "list", List.of("a", "b")))
        .statusCode(StatusCode.ERROR).statusMessage("boom").scopeName("io.otel.http")
        .events(List.of(new SpanEvent(1_700_000_000_100_000_000L, "exception",
            Map.of("exception.type", "IOException"), 0)))
        .build();
    Span child = Span.builder().traceId(TRACE).spanId("1111111111111111")
        .parentSpanId("00f067aa0ba902b7").name("SELECT").kind(SpanKind.CLIENT)
        .startTimeUnixNano(1_700_000_000_010_000_000L).endTimeUnixNano(1_700_000_000_020_000_000L)
        .serviceName("frontend")
        .resourceAttributes(Map.of("service.name", "frontend", "host.name", "h1"))
        .links(List.of(new SpanLink("a".repeat(32), "b".repeat(16), "", Map.of(), 0)))
        .build();
    JsonNode t = JaegerApi.MAPPER.valueToTree(JaegerSpans.trace(TRACE, List.of(child, root)));

    assertThat(t.get("traceID").asText()).isEqualTo(TRACE);
    assertThat(t.get("warnings").isNull()).isTrue();
    assertThat(t.get("processes").size()).isEqualTo(1);
    JsonNode p1 = t.get("processes").get("p1");
    assertThat(p1.get("serviceName").asText()).isEqualTo("frontend");
    assertThat(p1.get("tags").toString()).isEqualTo(
        "[{\"key\":\"host.name\",\"type\":\"string\",\"value\":\"h1\"}]");

    JsonNode spans = t.get("spans");
    assertThat(spans.size()).isEqualTo(2);
    JsonNode s = spans.get(0); // depth-first from the root
    assertThat(s.get("spanID").asText()).isEqualTo("00f067aa0ba902b7");
    assertThat(s.get("operationName").asText()).isEqualTo("GET /cart");
    assertThat(s.get("references").size()).isZero();
    assertThat(s.get("startTime").asLong()).isEqualTo(1_700_000_000_000_000L);
    assertThat(s.get("duration").asLong()).isEqualTo(250_000L);
    assertThat(s.get("processID").asText()).isEqualTo("p1");
    assertThat(s.get("flags").asInt()).isEqualTo(1);
    assertThat(tag(s, "http.status_code").toString())
        .isEqualTo("{\"key\":\"http.status_code\",\"type\":\"int64\",\"value\":500}");
    assertThat(tag(s, "sampled").get("type").asText()).isEqualTo("bool");
    assertThat(tag(s, "ratio").get("type").asText()).isEqualTo("float64");
    assertThat(tag(s, "raw").get("value").asText()).isEqualTo("AQI=");
    assertThat(tag(s, "raw").get("type").asText()).isEqualTo("binary");
    assertThat(tag(s, "list").get("value").asText()).isEqualTo("[\"a\",\"b\"]");
    assertThat(tag(s, "span.kind").get("value").asText()).isEqualTo("server");
    assertThat(tag(s, "error").get("value").asBoolean()).isTrue();
    assertThat(tag(s, "otel.status_code").get("value").asText()).isEqualTo("ERROR");
    assertThat(tag(s, "otel.status_description").get("value").asText()).isEqualTo("boom");
    assertThat(tag(s, "otel.scope.name").get("value").asText()).isEqualTo("io.otel.http");
    JsonNode log = s.get("logs").get(0);
    assertThat(log.get("timestamp").asLong()).isEqualTo(1_700_000_000_100_000L);
    assertThat(log.get("fields").get(0).toString())
        .isEqualTo("{\"key\":\"event\",\"type\":\"string\",\"value\":\"exception\"}");

    JsonNode c = spans.get(1);
    assertThat(c.get("references").toString()).isEqualTo("[{\"refType\":\"CHILD_OF\",\"traceID\":\""
        + TRACE + "\",\"spanID\":\"00f067aa0ba902b7\"},{\"refType\":\"FOLLOWS_FROM\",\"traceID\":\""
        + "a".repeat(32) + "\",\"spanID\":\"" + "b".repeat(16) + "\"}]");
    assertThat(c.get("warnings").isNull()).isTrue();
  }

  /**
   * Field names and order of jaeger-query's UI model (model/json, as in its converter fixture
   * ui_01.json), with {@code flags} present as Grafana's Jaeger types declare it.
   */
  @Test
  void trace_hasTheJaegerUiModelFields() {
    Span a = Span.builder().traceId(TRACE).spanId("1".repeat(16)).serviceName("a").build();
    JsonNode t = JaegerApi.MAPPER.valueToTree(JaegerSpans.trace(TRACE, List.of(a)));
    assertThat(fieldNames(t)).containsExactly("traceID", "spans", "processes", "warnings");
    assertThat(fieldNames(t.get("spans").get(0))).containsExactly("traceID", "spanID", "flags",
        "operationName", "references", "startTime", "duration", "tags", "logs", "processID",
        "warnings");
    assertThat(fieldNames(t.get("processes").get("p1"))).containsExactly("serviceName", "tags");
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void trace_oneProcessPerServiceAndResource() {
    Span a = Span.builder().traceId(TRACE).spanId("1".repeat(16)).serviceName("a").build();
    Span b = Span.builder().traceId(TRACE).spanId("2".repeat(16)).parentSpanId("1".repeat(16))
        .serviceName("b").build();
    JsonNode t = JaegerApi.MAPPER.valueToTree(JaegerSpans.trace(TRACE, List.of(a, b)));
    assertThat(t.get("processes").get("p1").get("serviceName").asText()).isEqualTo("a");
    assertThat(t.get("processes").get("p2").get("serviceName").asText()).isEqualTo("b");
    assertThat(t.get("spans").get(1).get("processID").asText()).isEqualTo("p2");
  }

  @Test
  void query_mapsJaegerSearchParameters() {
    QueryParams q = QueryParams.fromQueryString("service=frontend&operation=GET%20%2Fcart"
        + "&tags=%7B%22http.status_code%22%3A%22500%22%2C%22error%22%3Atrue%7D&tag=region:eu"
        + "&minDuration=10ms&maxDuration=1.5s&start=1700000000000000&end=1700000060000000"
        + "&limit=30&lookback=custom");
    TraceQuery t = JaegerEndpoints.query(q, 0);
    assertThat(t.serviceName()).isEqualTo("frontend");
    assertThat(t.spanName()).isEqualTo("GET /cart");
    assertThat(t.attributes()).containsOnly(Map.entry("http.status_code", "500"),
        Map.entry("error", "true"), Map.entry("region", "eu"));
    assertThat(t.minDurationNanos()).isEqualTo(10_000_000L);
    assertThat(t.maxDurationNanos()).isEqualTo(1_500_000_000L);
    assertThat(t.fromUnixNano()).isEqualTo(1_700_000_000_000_000_000L);
    assertThat(t.toUnixNano()).isEqualTo(1_700_000_060_000_000_000L);
    assertThat(t.limit()).isEqualTo(30);
  }

  @Test
  void query_lookbackDefaultsStart() {
    long now = 1_700_000_000_000_000_000L;
    TraceQuery t = JaegerEndpoints.query(QueryParams.of("lookback", "2h"), now);
    assertThat(t.toUnixNano()).isEqualTo(now);
    assertThat(t.fromUnixNano()).isEqualTo(now - 7_200_000_000_000L);
  }

  @Test
  void query_rejectsBadParameters() {
    assertThatThrownBy(() -> JaegerEndpoints.query(QueryParams.of("tags", "{bad"), 0))
        .hasMessage("tags: '{bad' (expected: a JSON object like {\"error\":\"true\"})");
    assertThatThrownBy(() -> JaegerEndpoints.query(QueryParams.of("start", "yesterday"), 0))
        .hasMessage("start: 'yesterday' (expected: unix microseconds)");
    assertThatThrownBy(() -> JaegerEndpoints.query(QueryParams.of("minDuration", "fast"), 0))
        .hasMessageStartingWith("minDuration: 'fast' (expected: a duration");
    assertThatThrownBy(() -> JaegerEndpoints.query(QueryParams.of("limit", "5000"), 0))
        .hasMessage("limit: '5000' (expected: an integer 1-1000)");
  }

  private static JsonNode tag(JsonNode span, String key) {
    for (JsonNode t : span.get("tags")) {
      if (t.get("key").asText().equals(key)) {
        return t;
      }
    }
    throw new AssertionError("no tag " + key + " in " + span.get("tags"));
  }
}
