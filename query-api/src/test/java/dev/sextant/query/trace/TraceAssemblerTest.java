package dev.sextant.query.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.Span;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceAssemblerTest {
  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

  private static Span span(String id, String parent, long start) {
    return Span.builder().traceId(TRACE).spanId(id).parentSpanId(parent).name("op-" + id)
        .startTimeUnixNano(start).endTimeUnixNano(start + 10).build();
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
    assertThat(new String(TraceJson.write(t))).contains("\"spanId\":\"s9999\"");
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
