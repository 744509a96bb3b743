package dev.sextant.ui.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GraphLayoutTest {
  @Test
  void layout_chainGoesOneLayerPerHop() {
    GraphLayout.Result r = GraphLayout.layout(3, List.of(new int[] {0, 1}, new int[] {1, 2}));
    assertThat(r.layer()).containsExactly(0, 1, 2);
    assertThat(r.layers()).isEqualTo(3);
    assertThat(r.maxPerLayer()).isEqualTo(1);
    assertThat(r.backEdge()).containsExactly(false, false);
  }

  @Test
  void layout_nodeGoesAfterItsDeepestCaller() {
    // 0 → 1 → 2 and 0 → 2: node 2 sits after 1, not next to it.
    GraphLayout.Result r = GraphLayout.layout(3,
        List.of(new int[] {0, 1}, new int[] {1, 2}, new int[] {0, 2}));
    assertThat(r.layer()).startsWith(0, 1, 2);
  }

  @Test
  void layout_longEdgePassesAVirtualNodePerLayer() {
    GraphLayout.Result r = GraphLayout.layout(4, List.of(new int[] {0, 1}, new int[] {1, 2},
        new int[] {2, 3}, new int[] {0, 3}));
    assertThat(r.chain()[3]).hasSize(2);
    assertThat(r.layer()[r.chain()[3][0]]).isEqualTo(1);
    assertThat(r.layer()[r.chain()[3][1]]).isEqualTo(2);
    assertThat(r.layer()).hasSize(6);
    // The virtual node shares layer 1 with node 1 but not its slot.
    assertThat(r.order()[r.chain()[3][0]]).isNotEqualTo(r.order()[1]);
    assertThat(r.maxPerLayer()).isEqualTo(2);
    assertThat(r.chain()[0]).isEmpty();
  }

  @Test
  void layout_cycleAndSelfLoop_areBackEdges() {
    GraphLayout.Result r = GraphLayout.layout(2,
        List.of(new int[] {0, 1}, new int[] {1, 0}, new int[] {1, 1}));
    assertThat(r.backEdge()).containsExactly(false, true, true);
    assertThat(r.layer()).containsExactly(0, 1);
  }

  @Test
  void layout_barycenterUncrossesEdges() {
    // 0 → 3 and 1 → 2 cross when layer 1 keeps input order (2, 3); the sweep swaps them.
    GraphLayout.Result r = GraphLayout.layout(4, List.of(new int[] {0, 3}, new int[] {1, 2}));
    assertThat(r.order()[3]).isLessThan(r.order()[2]);
    assertThat(r.maxPerLayer()).isEqualTo(2);
  }

  @Test
  void layout_empty() {
    GraphLayout.Result r = GraphLayout.layout(0, List.of());
    assertThat(r.layers()).isZero();
  }
}
