package dev.sextant.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReadWarningsTest {
  @Test
  void report_withoutACollectorIsDropped() {
    ReadWarnings.report("nobody listens");

    assertThat(ReadWarnings.current()).isEmpty();
  }

  @Test
  void collect_keepsEachWarningOnceInOrder() {
    try (ReadWarnings.Collector c = ReadWarnings.collect()) {
      ReadWarnings.report("b");
      ReadWarnings.report("a");
      ReadWarnings.report("b");

      assertThat(c.warnings()).containsExactly("b", "a");
      assertThat(ReadWarnings.current()).containsExactly("b", "a");
    }
    assertThat(ReadWarnings.current()).isEmpty();
  }

  @Test
  void collect_nestsAndTheOuterCollectsAgainAfterTheInnerCloses() {
    try (ReadWarnings.Collector outer = ReadWarnings.collect()) {
      ReadWarnings.report("outer 1");
      try (ReadWarnings.Collector inner = ReadWarnings.collect()) {
        ReadWarnings.report("inner");
        assertThat(inner.warnings()).containsExactly("inner");
      }
      ReadWarnings.report("outer 2");

      assertThat(outer.warnings()).containsExactly("outer 1", "outer 2");
    }
  }

  @Test
  void collect_isPerThread() throws Exception {
    try (ReadWarnings.Collector c = ReadWarnings.collect()) {
      Thread other = new Thread(() -> ReadWarnings.report("elsewhere"));
      other.start();
      other.join();

      assertThat(c.warnings()).isEmpty();
    }
  }
}
