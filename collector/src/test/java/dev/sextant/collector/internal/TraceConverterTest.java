package dev.sextant.collector.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.sextant.collector.limits.IngestLimits;
import dev.sextant.storage.Span;
import dev.sextant.storage.SpanKind;
import dev.sextant.storage.StatusCode;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span.Event;
import io.opentelemetry.proto.trace.v1.Span.Link;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class TraceConverterTest {
  private final TraceConverter converter = new TraceConverter(IngestLimits.defaults());
  private static final ByteString TRACE = ByteString.copyFrom(new byte[] {
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});

  private static io.opentelemetry.proto.trace.v1.Span.Builder span(int id) {
    return io.opentelemetry.proto.trace.v1.Span.newBuilder()
        .setTraceId(TRACE)
        .setSpanId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, 0, (byte) id}))
        .setName("op" + id).setStartTimeUnixNano(100).setEndTimeUnixNano(200);
  }

  private static ExportTraceServiceRequest request(io.opentelemetry.proto.trace.v1.Span... spans) {
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder()
            .setKey("service.name").setValue(AnyValue.newBuilder().setStringValue("checkout"))))
        .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans)))).build();
  }

  @Test
  void convert_mapsFieldsAndResource() {
    TraceConversion c = converter.convert(request(span(1)
        .setKind(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT)
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR)
            .setMessage("bad"))
        .addAttributes(KeyValue.newBuilder().setKey("list").setValue(AnyValue.newBuilder()
            .setArrayValue(ArrayValue.newBuilder()
                .addValues(AnyValue.newBuilder().setIntValue(7)))))
        .build()));
    assertThat(c.rejected()).isZero();
    Span s = c.spans().get(0);
    assertThat(s.traceId()).isEqualTo("0102030405060708090a0b0c0d0e0f10");
    assertThat(s.spanId()).isEqualTo("0000000000000001");
    assertThat(s.serviceName()).isEqualTo("checkout");
    assertThat(s.kind()).isEqualTo(SpanKind.CLIENT);
    assertThat(s.statusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(s.attributes()).containsEntry("list", List.of(7L));
    assertThat(s.durationNanos()).isEqualTo(100);
  }

  @Test
  void convert_rejectsInvalidSpansAndKeepsTheRest() {
    TraceConversion c = converter.convert(request(
        span(1).build(),
        span(2).setTraceId(ByteString.copyFrom(new byte[16])).build(),
        span(3).setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3})).build(),
        span(4).setEndTimeUnixNano(50).build(),
        span(5).setParentSpanId(ByteString.copyFrom(new byte[] {1})).build()));
    assertThat(c.spans()).extracting(Span::name).containsExactly("op1");
    assertThat(c.rejected()).isEqualTo(4);
    assertThat(c.errorMessage()).contains("trace_id must be 16 bytes and not all zero");
  }

  @Test
  void convert_missingServiceNameBecomesUnknownService() {
    ExportTraceServiceRequest r = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .addScopeSpans(ScopeSpans.newBuilder().addSpans(span(1)))).build();
    assertThat(converter.convert(r).spans().get(0).serviceName())
        .isEqualTo("unknown_service");
  }

  @Test
  void convert_truncatesOverLimitItemsAndCountsDrops() {
    TraceConverter small = new TraceConverter(IngestLimits.builder().maxAttributes(2)
        .maxAttributeValueLength(5).maxAnyValueDepth(2).maxEventsPerSpan(1).maxLinksPerSpan(1)
        .build());
    var b = span(1);
    for (int i = 0; i < 4; i++) {
      b.addAttributes(KeyValue.newBuilder().setKey("k" + i)
          .setValue(AnyValue.newBuilder().setStringValue("abcdefghij")));
      b.addEvents(Event.newBuilder().setName("e" + i));
      b.addLinks(Link.newBuilder().setTraceId(TRACE)
          .setSpanId(ByteString.copyFrom(new byte[] {1, 1, 1, 1, 1, 1, 1, 1})));
    }
    Span s = small.convert(request(b.build())).spans().get(0);
    assertThat(s.attributes()).containsOnlyKeys("k0", "k1").containsEntry("k0", "abcde");
    assertThat(s.droppedAttributesCount()).isEqualTo(2);
    assertThat(s.events()).hasSize(1);
    assertThat(s.droppedEventsCount()).isEqualTo(3);
    assertThat(s.links()).hasSize(1);
    assertThat(s.droppedLinksCount()).isEqualTo(3);
  }

  @Test
  void convert_dropsAttributesNestedTooDeep() {
    TraceConverter shallow = new TraceConverter(IngestLimits.builder().maxAnyValueDepth(2).build());
    AnyValue deep = AnyValue.newBuilder().setStringValue("leaf").build();
    for (int i = 0; i < 3; i++) {
      deep = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(deep)).build();
    }
    Span s = shallow.convert(request(span(1)
        .addAttributes(KeyValue.newBuilder().setKey("deep").setValue(deep))
        .addAttributes(KeyValue.newBuilder().setKey("ok").setValue(AnyValue.newBuilder()
            .setArrayValue(ArrayValue.newBuilder().addValues(AnyValue.newBuilder().setIntValue(1)))))
        .build())).spans().get(0);
    assertThat(s.attributes()).containsOnlyKeys("ok");
    assertThat(s.droppedAttributesCount()).isEqualTo(1);
  }

  @Test
  void convert_cutsNamesAndDropsLongKeysWithAWarning() {
    TraceConverter small = new TraceConverter(IngestLimits.builder().maxNameLength(10)
        .maxAttributeKeyLength(13).build());
    String longName = "n".repeat(11);
    ExportTraceServiceRequest r = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder()
                .addAttributes(KeyValue.newBuilder().setKey("service.name")
                    .setValue(AnyValue.newBuilder().setStringValue("s".repeat(40_000))))
                .addAttributes(KeyValue.newBuilder().setKey("host.name.long")
                    .setValue(AnyValue.newBuilder().setStringValue("h"))))
            .addScopeSpans(ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder()
                    .setName(longName).setVersion("1"))
                .addSpans(span(1).setName(longName).setTraceState("a=" + "b".repeat(600))
                    .addEvents(Event.newBuilder()
                        .setName(longName))
                    .addAttributes(KeyValue.newBuilder().setKey("k".repeat(14))
                        .setValue(AnyValue.newBuilder().setStringValue("v")))
                    .addAttributes(KeyValue.newBuilder().setKey("ok")
                        .setValue(AnyValue.newBuilder().setStringValue("v")))))).build();
    TraceConversion c = small.convert(r);
    assertThat(c.rejected()).isZero();
    assertThat(c.warning())
        .isEqualTo("attribute key: 14 characters (expected: <= 13), attribute dropped");
    Span s = c.spans().get(0);
    assertThat(s.serviceName()).isEqualTo("s".repeat(10));
    assertThat(s.scopeName()).isEqualTo("n".repeat(10));
    assertThat(s.name()).isEqualTo("n".repeat(10));
    assertThat(s.events().get(0).name()).isEqualTo("n".repeat(10));
    assertThat(s.traceState()).isEmpty();
    assertThat(s.attributes()).containsOnlyKeys("ok");
    assertThat(s.droppedAttributesCount()).isEqualTo(1);
    assertThat(s.resourceAttributes()).doesNotContainKey("host.name.long");
  }

  @Test
  void convert_withinTheLimitsHasNoWarning() {
    assertThat(converter.convert(request(span(1).build())).warning()).isNull();
  }

  @Test
  void limits_outOfRangeNamesTheKeyAndTheRange() {
    Assertions.assertThatThrownBy(
        () -> IngestLimits.builder().maxNameLength(5000))
        .hasMessage("maxNameLength: 5000 (expected: 1-4096)");
    Assertions.assertThatThrownBy(
        () -> IngestLimits.builder().maxAttributeKeyLength(0))
        .hasMessage("maxAttributeKeyLength: 0 (expected: 1-1024)");
  }
}
