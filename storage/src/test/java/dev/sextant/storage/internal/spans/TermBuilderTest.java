package dev.sextant.storage.internal.spans;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.internal.index.IndexTerms;
import org.junit.jupiter.api.Test;

class TermBuilderTest {
  @Test
  void attributeTerm_isCutToTheLimit() {
    TermBuilder b = new TermBuilder();
    b.attribute("k".repeat(40_000), "v");
    assertThat(b.bytesRef().length).isEqualTo(IndexTerms.MAX_BYTES);
  }
}
