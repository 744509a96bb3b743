package dev.sextant.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.storage.Ids;
import dev.sextant.storage.Span;
import dev.sextant.storage.TestSpans;
import org.junit.jupiter.api.Test;

class SpanCodecTest {
  @Test
  void encodeDecode_roundTripsEveryField() {
    Span s = TestSpans.rich(TestSpans.randomHex(32));
    ByteWriter w = new ByteWriter(64);
    SpanCodec.encode(s, w);
    Span back = SpanCodec.decode(Ids.fromHex(s.traceId()), Ids.fromHex(s.spanId()),
        w.toByteArray());
    assertThat(back).usingRecursiveComparison().ignoringFields("attributes").isEqualTo(s);
    assertThat(back.attributes()).containsEntry("s", "x").containsEntry("l", -5L)
        .containsEntry("d", 2.5).containsEntry("b", true);
    assertThat((byte[]) back.attributes().get("bytes")).containsExactly(1, 2);
  }

  @Test
  void decode_truncatedValueFailsClearly() {
    Span s = TestSpans.rich(TestSpans.randomHex(32));
    ByteWriter w = new ByteWriter(64);
    SpanCodec.encode(s, w);
    byte[] cut = java.util.Arrays.copyOf(w.toByteArray(), 10);
    assertThatThrownBy(() -> SpanCodec.decode(new byte[16], new byte[8], cut))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("truncated");
  }
}
