package dev.sextant.storage.internal.spans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.storage.Ids;
import dev.sextant.storage.Span;
import dev.sextant.storage.TestSpans;
import dev.sextant.storage.internal.kv.ByteWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArrayAttributesTest {
  private static Map<String, Object> linked(String[] keys, Object[] values) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keys.length; i++) {
      m.put(keys[i], values[i]);
    }
    return m;
  }

  @Test
  void map_behavesAsTheLinkedHashMapItReplaces() {
    String[] keys = {"b", "a", "c", "n"};
    Object[] values = {1L, "x", true, null};
    Map<String, Object> m = new ArrayAttributes(keys, values);
    Map<String, Object> expected = linked(keys, values);
    assertThat(m).isEqualTo(expected);
    assertThat(expected).isEqualTo(m);
    assertThat(m.hashCode()).isEqualTo(expected.hashCode());
    assertThat(m.toString()).isEqualTo(expected.toString());
    assertThat(new ArrayList<>(m.keySet())).containsExactly("b", "a", "c", "n");
    assertThat(m.get("a")).isEqualTo("x");
    assertThat(m.get("zz")).isNull();
    assertThat(m.containsKey("n")).isTrue();
    assertThat(m.containsKey("zz")).isFalse();
    List<String> seen = new ArrayList<>();
    m.forEach((k, v) -> seen.add(k + "=" + v));
    assertThat(seen).containsExactly("b=1", "a=x", "c=true", "n=null");
    assertThatThrownBy(() -> m.put("d", 1L)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> m.remove("a")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> m.entrySet().iterator().next().setValue(2L))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void of_repeatedKey_asLinkedHashMapPuts() {
    Map<String, Object> m = ArrayAttributes.of(new String[] {"a", "b", "a"},
        new Object[] {1L, 2L, 3L});
    assertThat(m).isNotInstanceOf(ArrayAttributes.class).containsExactly(
        Map.entry("a", 3L), Map.entry("b", 2L));
    assertThat(ArrayAttributes.of(new String[0], new Object[0])).isEmpty();
  }

  @Test
  void dictionaryDecode_smallMapsAreArrays_largeOnesStayHashMaps() {
    for (int n : new int[] {3, ArrayAttributes.MAX_SIZE, ArrayAttributes.MAX_SIZE + 1}) {
      Map<String, Object> attrs = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        attrs.put("key." + (n - i), i % 2 == 0 ? "v" + i : (Object) (long) i);
      }
      Span s = Span.builder().traceId(TestSpans.randomHex(32)).spanId(TestSpans.randomHex(16))
          .name("n").serviceName("svc").attributes(attrs).build();
      ByteWriter w = new ByteWriter(64);
      DictionarySpanCodec.encode(s, w, (ctx, str) -> 0);
      ByteWriter plain = new ByteWriter(64);
      SpanCodec.encode(s, plain);
      for (byte[] value : List.of(w.toByteArray(), plain.toByteArray())) {
        Span back = SpanCodec.decode(Ids.fromHex(s.traceId()), Ids.fromHex(s.spanId()), value,
            null);
        assertThat(back.attributes()).containsExactlyEntriesOf(attrs);
        assertThat(back.attributes() instanceof ArrayAttributes)
            .isEqualTo(n <= ArrayAttributes.MAX_SIZE);
      }
    }
  }
}
