package dev.sextant.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.storage.Attributes;
import dev.sextant.storage.LogRecord;
import dev.sextant.storage.Span;
import dev.sextant.storage.SpanEvent;
import dev.sextant.storage.SpanKind;
import dev.sextant.storage.SpanLink;
import dev.sextant.storage.StatusCode;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.StaleMarker;
import dev.sextant.storage.metrics.TimeSeries;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordFormatTest {
  static Span span() {
    Map<String, Object> attrs = Attributes.of("http.method", "GET", "http.status_code", 200L,
        "ratio", 0.5, "ok", true, "raw", new byte[] {1, 2, 3}, "list", List.of("a", 1L),
        "kv", Map.of("inner", "v"), "nothing", null);
    return new Span("0AF7651916CD43DD8448EB211C80319C", "b7ad6b7169203331", "00f067aa0ba902b7",
        "k=v", "GET /cart", SpanKind.SERVER, 1_700_000_000_000_000_000L,
        1_700_000_000_250_000_000L, attrs, 2,
        List.of(new SpanEvent(1_700_000_000_100_000_000L, "retry", Attributes.of("n", 1L), 0)),
        1, List.of(new SpanLink("1af7651916cd43dd8448eb211c80319c", "c7ad6b7169203331", "",
            Attributes.empty(), 0)), 0, StatusCode.ERROR, "boom", "cart",
        Attributes.of("service.name", "cart", "host.name", "h1"), "io.opentelemetry", "1.0");
  }

  @Test
  void span_roundTrip_keepsEveryFieldAndLowercasesIds() {
    WireWriter w = new WireWriter(16);
    Span s = span();
    SpanWire.encode(s, w);
    Span back = SpanWire.decode(new WireReader(w.toByteArray()));
    assertThat(back.traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(back).usingRecursiveComparison().ignoringFields("traceId", "attributes")
        .isEqualTo(s);
    assertThat(back.attributes().keySet()).containsExactlyElementsOf(s.attributes().keySet());
    assertThat((byte[]) back.attributes().get("raw")).containsExactly(1, 2, 3);
    assertThat(back.attributes().get("list")).isEqualTo(List.of("a", 1L));
    assertThat(back.attributes().get("kv")).isEqualTo(Map.of("inner", "v"));
    assertThat(back.attributes()).containsEntry("nothing", null).containsEntry("ratio", 0.5);
  }

  @Test
  void log_roundTrip_keepsEveryField() {
    LogRecord l = new LogRecord(1_700_000_000_000_000_000L, 1_700_000_000_000_500_000L, 17,
        "ERROR", "payment failed", Attributes.of("order", 42L), "", "", "corr-1", "pay",
        Attributes.of("service.name", "pay"), "app", 1, 3);
    WireWriter w = new WireWriter(16);
    LogWire.encode(l, w);
    assertThat(LogWire.decode(new WireReader(w.toByteArray()))).isEqualTo(l);
  }

  @Test
  void series_roundTrip_keepsStaleMarkerBitsAndOrder() {
    TimeSeries s = new TimeSeries(Labels.of("__name__", "up", "job", "api"),
        new long[] {1000, 2000, 1500}, new double[] {1, StaleMarker.VALUE, Double.NaN});
    WireWriter w = new WireWriter(16);
    SeriesWire.encode(s, w);
    TimeSeries back = SeriesWire.decode(new WireReader(w.toByteArray()));
    assertThat((Object) back.labels()).isEqualTo(s.labels());
    assertThat(back.timestamps()).containsExactly(1000, 2000, 1500);
    assertThat(Double.doubleToRawLongBits(back.values()[1]))
        .isEqualTo(Double.doubleToRawLongBits(StaleMarker.VALUE));
    assertThat(Double.doubleToRawLongBits(back.values()[2]))
        .isEqualTo(Double.doubleToRawLongBits(Double.NaN));
  }

  @Test
  void pack_splitsAtMaxBytesAndKeepsOrder() {
    List<byte[]> items = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      byte[] item = new byte[300];
      Arrays.fill(item, (byte) i);
      items.add(item);
    }
    items.add(new byte[5000]); // larger than a record: a record of its own
    List<byte[]> values = RecordFormat.pack(items, 1024);
    assertThat(values).allSatisfy(v -> assertThat(v.length).isLessThanOrEqualTo(5003));
    List<byte[]> back = new ArrayList<>();
    for (byte[] v : values) {
      for (WireReader r : RecordFormat.items(v)) {
        byte[] b = new byte[r.remaining()];
        for (int i = 0; i < b.length; i++) {
          b[i] = (byte) r.readByte();
        }
        back.add(b);
      }
    }
    assertThat(values).hasSize(5);
    assertThat(back).hasSize(11);
    for (int i = 0; i < 11; i++) {
      assertThat(back.get(i)).isEqualTo(items.get(i));
    }
  }

  @Test
  void decode_truncatedOrGarbled_failsWithCorruptRecordNotHugeAllocation() {
    WireWriter w = new WireWriter(16);
    SpanWire.encode(span(), w);
    byte[] full = w.toByteArray();
    for (int cut = 0; cut < full.length; cut += 7) {
      byte[] truncated = Arrays.copyOf(full, cut);
      assertThatThrownBy(() -> SpanWire.decode(new WireReader(truncated)))
          .isInstanceOf(RuntimeException.class);
    }
    WireWriter huge = new WireWriter(16);
    huge.writeVarInt(Integer.MAX_VALUE); // a count far beyond the bytes that follow
    assertThatThrownBy(() -> AttributeWire.readMap(new WireReader(huge.toByteArray())))
        .isInstanceOf(CorruptRecordException.class).hasMessageContaining("exceeds");
  }
}
