package dev.sextant.query.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.Span;
import dev.sextant.storage.SpanKind;
import dev.sextant.storage.StatusCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceGraphsTest {
  static Span span(String id, String parent, String service, SpanKind kind, long durationNanos,
      StatusCode status, Map<String, Object> attrs) {
    return Span.builder().traceId("0".repeat(31) + "1").spanId(id).parentSpanId(parent)
        .serviceName(service).name("op").kind(kind).startTimeUnixNano(1_000)
        .endTimeUnixNano(1_000 + durationNanos).statusCode(status).attributes(attrs).build();
  }

  static Span span(String id, String parent, String service, SpanKind kind, long d) {
    return span(id, parent, service, kind, d, StatusCode.UNSET, Map.of());
  }

  @Test
  void derive_clientServerPairsBecomeEdges() {
    List<Span> trace = List.of(
        span("a1", "", "frontend", SpanKind.SERVER, 100),
        span("a2", "a1", "frontend", SpanKind.CLIENT, 80),
        span("b1", "a2", "cart", SpanKind.SERVER, 70, StatusCode.ERROR, Map.of()),
        span("b2", "b1", "cart", SpanKind.INTERNAL, 10));
    ServiceGraph g = ServiceGraphs.derive(List.of(trace));
    assertThat(g.edges()).containsExactly(
        new ServiceGraph.Edge("frontend", "cart", 1, 1, 70, 70, 70));
    assertThat(g.services()).containsExactly("cart", "frontend");
  }

  @Test
  void derive_producerConsumerAndPeerServiceFallback() {
    List<Span> trace = List.of(
        span("a1", "", "orders", SpanKind.SERVER, 100),
        span("a2", "a1", "orders", SpanKind.PRODUCER, 5),
        span("c1", "a2", "billing", SpanKind.CONSUMER, 40),
        // Database call: no callee span, named by peer.service.
        span("a3", "a1", "orders", SpanKind.CLIENT, 30, StatusCode.ERROR,
            Map.of("peer.service", "postgres")),
        // Matched client with peer.service is counted once, through its server child.
        span("a4", "a1", "orders", SpanKind.CLIENT, 20, StatusCode.UNSET,
            Map.of("peer.service", "stock")),
        span("s1", "a4", "stock", SpanKind.SERVER, 15));
    ServiceGraph g = ServiceGraphs.derive(List.of(trace));
    assertThat(g.edges()).containsExactly(
        new ServiceGraph.Edge("orders", "billing", 1, 0, 40, 40, 40),
        new ServiceGraph.Edge("orders", "postgres", 1, 1, 30, 30, 30),
        new ServiceGraph.Edge("orders", "stock", 1, 0, 15, 15, 15));
    assertThat(g.services()).containsExactly("billing", "orders", "postgres", "stock");
  }

  @Test
  void derive_sameServiceAndOrphansAreNotEdges() {
    List<Span> trace = List.of(
        span("a1", "", "api", SpanKind.SERVER, 100),
        span("a2", "a1", "api", SpanKind.CLIENT, 50),
        span("x1", "missing", "db", SpanKind.SERVER, 10));
    assertThat(ServiceGraphs.derive(List.of(trace)).edges()).isEmpty();
  }

  @Test
  void derive_percentilesByNearestRankAcrossTraces() {
    List<List<Span>> traces = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      traces.add(List.of(span("a1", "", "web", SpanKind.CLIENT, 1_000),
          span("b1", "a1", "api", SpanKind.SERVER, i * 1_000L,
              i % 10 == 0 ? StatusCode.ERROR : StatusCode.OK, Map.of())));
    }
    ServiceGraph g = ServiceGraphs.derive(traces);
    assertThat(g.edges()).containsExactly(
        new ServiceGraph.Edge("web", "api", 100, 10, 50_000, 90_000, 99_000));
    assertThat(g.tracesScanned()).isEqualTo(100);
  }

  @Test
  void percentile_edgeCases() {
    assertThat(ServiceGraphs.percentile(new long[0], 0, 0.5)).isZero();
    assertThat(ServiceGraphs.percentile(new long[] {7}, 1, 0.99)).isEqualTo(7);
    assertThat(ServiceGraphs.percentile(new long[] {1, 2}, 2, 0.5)).isEqualTo(1);
  }
}
