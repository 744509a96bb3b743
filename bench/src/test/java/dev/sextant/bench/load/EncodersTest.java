package dev.sextant.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EncodersTest {
  private final SpanShape shape = SpanShape.testbed(false);
  private final SpanBatch batch =
      SpanBatch.generate(shape, new SplittableRandom(1), 100, 10, 1_700_000_000_000_000_000L);

  @Test
  void testbed_hasTwentyCharacterKeysAndValues() {
    assertThat(shape.keys).hasSize(10).allSatisfy(k -> assertThat(k).hasSize(20));
    assertThat(shape.values[3]).allSatisfy(v -> assertThat(v).hasSize(20));
    assertThat(SpanShape.testbed(true).attributes).isEqualTo(50);
  }

  @Test
  void otlp_encodesEverySpanWithItsAttributesAndParent() {
    ExportTraceServiceRequest req = new OtlpEncoder(shape).encode(batch);
    List<Span> spans = req.getResourceSpansList().stream()
        .flatMap(rs -> rs.getScopeSpansList().stream())
        .flatMap(ss -> ss.getSpansList().stream()).toList();
    assertThat(spans).hasSize(100).allSatisfy(s -> {
      assertThat(s.getAttributesList()).hasSize(10);
      assertThat(s.getTraceId().size()).isEqualTo(16);
      assertThat(s.getEndTimeUnixNano()).isGreaterThan(s.getStartTimeUnixNano());
    });
    assertThat(spans.stream().filter(s -> s.getParentSpanId().isEmpty())).hasSize(10);
  }

  @Test
  void zipkin_writesListOfSpansWithTagsAndLocalEndpoint() throws Exception {
    byte[] body = new ZipkinEncoder(shape).encode(batch);
    List<ByteString> spans = UnknownFieldSet.parseFrom(body).getField(1).getLengthDelimitedList();
    assertThat(spans).hasSize(100);
    for (int i = 0; i < spans.size(); i++) {
      UnknownFieldSet span = UnknownFieldSet.parseFrom(spans.get(i));
      assertThat(span.getField(1).getLengthDelimitedList().get(0).size()).isEqualTo(16);
      assertThat(span.getField(3).getLengthDelimitedList().get(0).size()).isEqualTo(8);
      assertThat(span.getField(6).getFixed64List()).containsExactly(batch.startNanos[i] / 1000);
      assertThat(span.getField(11).getLengthDelimitedList())
          .hasSize(batch.error[i] ? 11 : 10);
      UnknownFieldSet tag = UnknownFieldSet.parseFrom(
          span.getField(11).getLengthDelimitedList().get(0));
      assertThat(tag.getField(1).getLengthDelimitedList().get(0).toStringUtf8())
          .isEqualTo(shape.keys[0]);
      UnknownFieldSet endpoint = UnknownFieldSet.parseFrom(
          span.getField(8).getLengthDelimitedList().get(0));
      assertThat(endpoint.getField(1).getLengthDelimitedList().get(0).toStringUtf8())
          .isEqualTo(shape.serviceNames[batch.service[i]]);
    }
  }
}
