package dev.sextant.query.trace;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.Span;
import dev.sextant.storage.StatusCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class TraceAssemblerTest {
  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

  private static Span span(String id, String parent, long start) {
    return span(id, parent, start, start + 10, "svc");
  }

  private static Span span(String id, String parent, long start, long end, String service) {
    return Span.builder().traceId(TRACE).spanId(id).parentSpanId(parent).name("op-" + id)
        .serviceName(service).startTimeUnixNano(start).endTimeUnixNano(end).build();
  }

  private static TraceNode find(Trace t, String id) {
    List<TraceNode> stack = new ArrayList<>(t.roots());
    while (!stack.isEmpty()) {
      TraceNode n = stack.remove(stack.size() - 1);
      if (n.span().spanId().equals(id)) {
        return n;
      }
      stack.addAll(n.children());
    }
    throw new AssertionError(id);
  }

  @Test
  void assemble_shiftsChildAcrossServiceBoundaryIntoItsParent() {
    // The backend's clock runs 500 behind: its server span starts before the client span.
    Trace t = TraceAssembler.assemble(TRACE, List.of(
        span("r", "", 1000, 2000, "front"),
        span("c", "r", 1100, 1900, "front"),
        span("s", "c", 700, 1300, "back"),
        span("db", "s", 800, 900, "back")));
    TraceNode s = find(t, "s");
    assertThat(s.skewNanos()).isEqualTo(1100 + (800 - 600) / 2 - 700);
    assertThat(s.start()).isBetween(1100L, 1900L);
    assertThat(find(t, "db").skewNanos()).isEqualTo(s.skewNanos()); // same service: moves along
    assertThat(find(t, "c").skewNanos()).isZero();
    assertThat(t.warnings()).anyMatch(w -> w.startsWith("clock skew: span s"));
  }

  @Test
  void assemble_selfTimeExcludesChildren() {
    Trace t = TraceAssembler.assemble(TRACE, List.of(span("r", "", 0, 100, "a"),
        span("x", "r", 10, 40, "a"), span("y", "r", 30, 60, "a")));
    assertThat(find(t, "r").selfNanos()).isEqualTo(100 - 50);
    assertThat(find(t, "x").selfNanos()).isEqualTo(30);
  }

  @Test
  void assemble_criticalPathFollowsWhatTheRootWaitedOn() {
    // r [0,100]: a [10,50] and b [20,90] run in parallel; b finishes last, so the path is
    // r(90..100) -> b(20..90) -> r(0..20); a is hidden behind b and is not critical.
    Trace t = TraceAssembler.assemble(TRACE, List.of(span("r", "", 0, 100, "s"),
        span("a", "r", 10, 50, "s"), span("b", "r", 20, 90, "s"),
        span("b1", "b", 30, 60, "s")));
    assertThat(find(t, "r").criticalNanos()).isEqualTo(10 + 20);
    assertThat(find(t, "b").criticalNanos()).isEqualTo(70 - 30);
    assertThat(find(t, "b1").criticalNanos()).isEqualTo(30);
    assertThat(find(t, "a").criticalNanos()).isZero();
    long total = 0;
    for (String id : List.of("r", "a", "b", "b1")) {
      total += find(t, id).criticalNanos();
    }
    assertThat(total).isEqualTo(100); // the critical path covers the trace's duration exactly
  }

  @Test
  void assemble_criticalPathKeepsBackToBackCalls() {
    // r [0,100] calls a [10,40], then b [40,90] the moment a returns: both were waited on, so
    // the path is r(90..100) -> b -> a -> r(0..10), covering the trace's duration.
    Trace t = TraceAssembler.assemble(TRACE, List.of(span("r", "", 0, 100, "s"),
        span("a", "r", 10, 40, "s"), span("b", "r", 40, 90, "s")));
    assertThat(find(t, "r").criticalNanos()).isEqualTo(10 + 10);
    assertThat(find(t, "b").criticalNanos()).isEqualTo(50);
    assertThat(find(t, "a").criticalNanos()).isEqualTo(30);
  }

  @Test
  void assemble_childrenOfAJoinedZipkinServerHangUnderTheServerHalf() {
    // Brave joined the server side onto the client's span ID c; ingest stored the server half
    // as s (parent c, zipkin.shared), but the server's own child db still names c as its parent.
    Span server = Span.builder().traceId(TRACE).spanId("s").parentSpanId("c")
        .serviceName("backend").name("get /api").startTimeUnixNano(20).endTimeUnixNano(80)
        .attributes(Map.of("zipkin.shared", true)).build();
    Trace t = TraceAssembler.assemble(TRACE, List.of(span("r", "", 0, 100, "frontend"),
        span("c", "r", 10, 90, "frontend"), server, span("db", "c", 30, 60, "backend"),
        span("retry", "c", 85, 88, "frontend")));
    assertThat(find(t, "c").children()).extracting(n -> n.span().spanId())
        .containsExactly("s", "retry");
    assertThat(find(t, "s").children()).extracting(n -> n.span().spanId())
        .containsExactly("db");
    assertThat(t.warnings()).isEmpty();
  }

  @Test
  void assemble_summaryCountsServicesErrorsAndDuration() {
    Span err = Span.builder().traceId(TRACE).spanId("e").parentSpanId("r").serviceName("b")
        .statusCode(StatusCode.ERROR).startTimeUnixNano(5)
        .endTimeUnixNano(20).build();
    Trace t = TraceAssembler.assemble(TRACE, List.of(span("r", "", 0, 30, "a"), err));
    assertThat(t.services()).containsExactly("a", "b");
    assertThat(t.errorCount()).isEqualTo(1);
    assertThat(t.durationNanos()).isEqualTo(30);
  }

  @Test
  void assemble_buildsTreeWithChildrenByStart() {
    Trace t = TraceAssembler.assemble(TRACE, List.of(
        span("c2", "r", 30), span("r", "", 0), span("c1", "r", 10), span("g", "c1", 12)));
    assertThat(t.roots()).singleElement().extracting(n -> n.span().spanId()).isEqualTo("r");
    TraceNode root = t.roots().get(0);
    assertThat(root.children()).extracting(n -> n.span().spanId()).containsExactly("c1", "c2");
    assertThat(root.children().get(0).children().get(0).depth()).isEqualTo(2);
    assertThat(t.depth()).isEqualTo(2);
    assertThat(t.warnings()).isEmpty();
  }

  @Test
  void assemble_keepsOrphansFlaggedAfterRoots() {
    Trace t = TraceAssembler.assemble(TRACE, List.of(span("o", "missing", 0), span("r", "", 5)));
    assertThat(t.roots()).extracting(n -> n.span().spanId()).containsExactly("r", "o");
    assertThat(t.roots().get(1).orphan()).isTrue();
    assertThat(t.spanCount()).isEqualTo(2);
  }

  @Test
  void assemble_cutsCyclesAndReportsThem() {
    Trace t = TraceAssembler.assemble(TRACE, List.of(
        span("r", "", 0), span("a", "b", 1), span("b", "a", 2)));
    assertThat(t.warnings()).anyMatch(w -> w.contains("parent cycle"));
    int total = countNodes(t.roots());
    assertThat(total).isEqualTo(3);
  }

  @Test
  @Timeout(60) // before the fix the clock-skew walk looped until out of memory
  void assemble_cutsCycleThroughJoinedServerHalf() {
    // s is a Zipkin joined server half under a (joinedServers: a -> s); c names a as its parent
    // and shares s's service, so it hangs under s. a names c: the cycle is a -> s -> c -> a, and
    // c, first in the list, is cut where it really hangs (under s, not under a).
    Span s = Span.builder().traceId(TRACE).spanId("s").parentSpanId("a").name("op-s")
        .serviceName("svc").startTimeUnixNano(2).endTimeUnixNano(8)
        .attributes(Map.of("zipkin.shared", true)).build();
    Trace t = TraceAssembler.assemble(TRACE, List.of(
        span("c", "a", 3, 6, "svc"), span("a", "c", 1, 9, "edge"), s));
    assertThat(t.warnings()).anyMatch(w -> w.contains("parent cycle"));
    assertThat(countNodes(t.roots())).isEqualTo(3);
  }

  @Test
  void assemble_reportsDuplicateSpanIds() {
    Trace t = TraceAssembler.assemble(TRACE, List.of(span("r", "", 0), span("r", "", 1)));
    assertThat(t.warnings()).containsExactly("duplicate span ID r");
    assertThat(countNodes(t.roots())).isEqualTo(2);
  }

  @Test
  void assemble_deepChainDoesNotOverflow() {
    List<Span> spans = new ArrayList<>();
    spans.add(span("s0", "", 0));
    for (int i = 1; i < 10_000; i++) {
      spans.add(span("s" + i, "s" + (i - 1), i));
    }
    Trace t = TraceAssembler.assemble(TRACE, spans);
    assertThat(t.depth()).isEqualTo(9_999);
    assertThat(new String(TraceJson.write(t), UTF_8)).contains("\"spanId\":\"s9999\"");
  }

  private static int countNodes(List<TraceNode> nodes) {
    int n = 0;
    List<TraceNode> stack = new ArrayList<>(nodes);
    while (!stack.isEmpty()) {
      TraceNode x = stack.remove(stack.size() - 1);
      n++;
      stack.addAll(x.children());
    }
    return n;
  }
}
