package dev.sextant.storage.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PostingsTest {
  @Test
  void intersect_keepsCommon() {
    assertThat(Postings.intersect(new long[] {1, 3, 5, 7}, new long[] {2, 3, 7, 9}))
        .containsExactly(3, 7);
    assertThat(Postings.intersect(new long[] {}, new long[] {1})).isEmpty();
  }

  @Test
  void subtract_removesOthers() {
    assertThat(Postings.subtract(new long[] {1, 3, 5, 7}, new long[] {0, 3, 7, 9}))
        .containsExactly(1, 5);
  }

  @Test
  void longList_addOutOfOrderStaysSorted() {
    LongList l = new LongList();
    for (long v : new long[] {5, 1, 9, 3, 5}) {
      l.add(v);
    }
    assertThat(l.toArray()).containsExactly(1, 3, 5, 9);
    assertThat(l.remove(3)).isTrue();
    assertThat(l.remove(4)).isFalse();
    assertThat(l.toArray()).containsExactly(1, 5, 9);
  }
}
