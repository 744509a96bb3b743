package dev.sextant.storage.internal.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IndexTermsTest {
  @Test
  void clamp_shortStringIsKept() {
    String s = "é".repeat(10_000); // 20,000 bytes
    assertThat(IndexTerms.clamp(s)).isSameAs(s);
  }

  @Test
  void clamp_cutsAtACharacterBoundary() {
    String s = "a" + "€".repeat(20_000); // 1 + 60,000 bytes; € is 3 bytes
    String c = IndexTerms.clamp(s);
    byte[] utf8 = c.getBytes(StandardCharsets.UTF_8);
    assertThat(utf8.length).isLessThanOrEqualTo(IndexTerms.MAX_BYTES)
        .isGreaterThan(IndexTerms.MAX_BYTES - 3);
    assertThat(s).startsWith(c);
    assertThat(c).doesNotContain("\uFFFD");
  }

  @Test
  void clamp_keepsSurrogatePairsWhole() {
    String s = "😀".repeat(10_000); // 4 bytes each
    String c = IndexTerms.clamp(s);
    assertThat(c.getBytes(StandardCharsets.UTF_8)).hasSize(IndexTerms.MAX_BYTES / 4 * 4);
    assertThat(s).startsWith(c);
  }
}
