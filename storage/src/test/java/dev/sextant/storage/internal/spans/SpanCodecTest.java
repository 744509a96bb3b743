package dev.sextant.storage.internal.spans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.storage.Ids;
import dev.sextant.storage.Span;
import dev.sextant.storage.TestSpans;
import dev.sextant.storage.internal.kv.ByteWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    byte[] cut = Arrays.copyOf(w.toByteArray(), 10);
    assertThatThrownBy(() -> SpanCodec.decode(new byte[16], new byte[8], cut))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("truncated");
  }

  @Test
  void dictionaryEncoding_roundTripsEveryField_withAndWithoutTheStringsInTheDictionary() {
    Span s = TestSpans.rich(TestSpans.randomHex(32));
    SpanDictionary.Builder b = new SpanDictionary.Builder();
    ByteWriter w = new ByteWriter(64);
    for (int i = 0; i < 2; i++) { // seen twice: every string qualifies
      w.reset();
      DictionarySpanCodec.encode(s, w, (ctx, str) -> {
        b.count(ctx, str);
        return 0;
      });
    }
    byte[] inline = w.toByteArray();
    SpanDictionary dict = SpanDictionary.fromBytes(b.build().toBytes());
    assertThat(dict.size()).isGreaterThan(10);
    w.reset();
    DictionarySpanCodec.encode(s, w, dict::ref);
    byte[] referenced = w.toByteArray();
    assertThat(referenced.length).isLessThan(inline.length - 50);

    for (byte[] value : List.of(inline, referenced)) {
      Span back = SpanCodec.decode(Ids.fromHex(s.traceId()), Ids.fromHex(s.spanId()), value,
          dict);
      assertThat(back).usingRecursiveComparison().ignoringFields("attributes").isEqualTo(s);
      assertThat(withoutBytes(back.attributes()))
          .containsExactlyEntriesOf(withoutBytes(s.attributes()));
      assertThat((byte[]) back.attributes().get("bytes")).containsExactly(1, 2);
      assertThat(SpanCodec.isPlain(value)).isFalse();
    }
  }

  @Test
  void dictionaryEncoding_keepsParentIdsThatAreNotLowercaseHex() {
    for (String parent : List.of("", "ABCDEF0123456789", "not-an-id", "0123456789abcdef")) {
      Span s = Span.builder().traceId(TestSpans.randomHex(32)).spanId(TestSpans.randomHex(16))
          .parentSpanId(parent).name("n").serviceName("svc").startTimeUnixNano(5)
          .endTimeUnixNano(7).build();
      ByteWriter w = new ByteWriter(16);
      DictionarySpanCodec.encode(s, w, (ctx, str) -> 0);
      Span back = SpanCodec.decode(Ids.fromHex(s.traceId()), Ids.fromHex(s.spanId()),
          w.toByteArray(), null);
      assertThat(back).usingRecursiveComparison().isEqualTo(s);
    }
  }

  @Test
  void decode_referenceMissingFromTheDictionaryFailsClearly() {
    Span s = TestSpans.rich(TestSpans.randomHex(32));
    ByteWriter w = new ByteWriter(64);
    DictionarySpanCodec.encode(s, w, (ctx, str) -> 1);
    assertThatThrownBy(() -> SpanCodec.decode(new byte[16], new byte[8], w.toByteArray(),
        SpanDictionary.EMPTY)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not in the block's dictionary");
  }

  @Test
  void dictionaryBuilder_keepsRepeatedStringsMostFrequentFirst_perContext() {
    SpanDictionary.Builder b = new SpanDictionary.Builder();
    for (int i = 0; i < 3; i++) {
      b.count("", "often");
      b.count("k", "v");
    }
    b.count("", "twice");
    b.count("", "twice");
    b.count("", "once");
    SpanDictionary d = SpanDictionary.fromBytes(b.build().toBytes());
    assertThat(d.ref("", "often")).isEqualTo(1);
    assertThat(d.ref("", "twice")).isEqualTo(2);
    assertThat(d.ref("", "once")).isZero();
    assertThat(d.ref("k", "v")).isEqualTo(1);
    assertThat(d.ref("other", "v")).isZero();
    assertThat(d.string("k", 1)).isEqualTo("v");
  }

  private static Map<String, Object> withoutBytes(Map<String, Object> m) {
    Map<String, Object> out = new LinkedHashMap<>(m);
    out.remove("bytes");
    return out;
  }
}
