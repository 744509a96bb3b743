package dev.sextant.storage.conformance;

import static dev.sextant.storage.conformance.Fixtures.NOW;
import static dev.sextant.storage.conformance.Fixtures.span;
import static dev.sextant.storage.conformance.Fixtures.spanId;
import static dev.sextant.storage.conformance.Fixtures.traceId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.storage.Attributes;
import dev.sextant.storage.Span;
import dev.sextant.storage.SpanEvent;
import dev.sextant.storage.SpanKind;
import dev.sextant.storage.SpanLink;
import dev.sextant.storage.StatusCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link dev.sextant.storage.TraceReader}: a trace read whole, or up to a limit, by its ID. */
public interface TraceReaderContract extends StorageKit {

  @Test
  default void getTrace_returnsEverySpanOfTheTraceAndOnlyThem() {
    String t1 = traceId();
    String t2 = traceId();
    String root = spanId();
    write(span(t1, root, "", "web", "root", 0, 100).build(),
        span(t1, spanId(), root, "db", "query", 10, 20).build(),
        span(t2, spanId(), "", "web", "other", 0, 5).build());

    assertThat(storage().traceReader().getTrace(t1)).extracting(Span::name)
        .containsExactlyInAnyOrder("root", "query");
    assertThat(storage().traceReader().getTrace(t2)).extracting(Span::name)
        .containsExactly("other");
  }

  @Test
  default void getTrace_unknownTraceIsEmpty() {
    write(span(traceId(), spanId(), "", "web", "root", 0, 1).build());

    assertThat(storage().traceReader().getTrace(traceId())).isEmpty();
  }

  @Test
  default void getTrace_returnsEveryFieldAsWritten() {
    String trace = traceId();
    Span rich = Span.builder().traceId(trace).spanId(spanId()).parentSpanId(spanId())
        .traceState("vendor=1").name("GET /users/{id}").kind(SpanKind.CLIENT)
        .startTimeUnixNano(NOW + 123_456_789L).endTimeUnixNano(NOW + 223_456_789L)
        .attributes(Attributes.of("s", "x", "l", -5L, "d", 2.5, "b", true,
            "arr", List.of("a", 1L), "kv", Map.of("inner", "v")))
        .droppedAttributesCount(3)
        .events(List.of(new SpanEvent(NOW + 150_000_000L, "retry",
            Attributes.of("attempt", 2L), 1)))
        .droppedEventsCount(1)
        .links(List.of(new SpanLink(traceId(), spanId(), "k=v", Attributes.of("k", "v"), 2)))
        .droppedLinksCount(4)
        .statusCode(StatusCode.ERROR).statusMessage("boom")
        .serviceName("users")
        .resourceAttributes(Attributes.of("service.name", "users", "host.name", "h1"))
        .scopeName("io.opentelemetry.http").scopeVersion("1.0")
        .build();
    write(rich);

    assertThat(storage().traceReader().getTrace(trace)).singleElement()
        .usingRecursiveComparison().isEqualTo(rich);
  }

  @Test
  default void getTrace_keepsBinaryAttributeValues() {
    String trace = traceId();
    write(span(trace, spanId(), "", "web", "root", 0, 1)
        .attributes(Attributes.of("bytes", new byte[] {0, 1, (byte) 0xff})).build());

    Object read = storage().traceReader().getTrace(trace).get(0).attributes().get("bytes");
    assertThat(read).isInstanceOf(byte[].class);
    assertThat((byte[]) read).containsExactly(0, 1, 0xff);
  }

  @Test
  default void getTrace_acceptsAnUppercaseId() {
    String trace = traceId().replace('1', 'a');
    write(span(trace, spanId(), "", "web", "root", 0, 1).build());

    assertThat(storage().traceReader().getTrace(trace.toUpperCase(Locale.ROOT)))
        .extracting(Span::traceId).containsExactly(trace);
  }

  @Test
  default void getTrace_rejectsIdsThatAreNot32HexCharacters() {
    for (String bad : List.of("", "abc", traceId() + "0", traceId().substring(1),
        "g".repeat(32), traceId().substring(16))) {
      assertThatThrownBy(() -> storage().traceReader().getTrace(bad))
          .as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  default void getTrace_allZeroIdIsEmpty() {
    assertThat(storage().traceReader().getTrace("0".repeat(32))).isEmpty();
  }

  @Test
  default void getTraceWithLimit_returnsAtMostLimitDistinctSpansOfTheTrace() {
    String t = traceId();
    writeTrace(t, 5);
    write(span(traceId(), spanId(), "", "web", "other", 0, 1).build());

    List<Span> three = storage().traceReader().getTrace(t, 3);
    assertThat(three).hasSize(3).extracting(Span::traceId).containsOnly(t);
    assertThat(three).extracting(Span::spanId).doesNotHaveDuplicates();
  }

  @Test
  default void getTraceWithLimit_atOrAboveTheTraceSizeReturnsEverySpan() {
    String t = traceId();
    writeTrace(t, 5);

    assertThat(storage().traceReader().getTrace(t, 5)).hasSize(5);
    assertThat(storage().traceReader().getTrace(t, 6)).hasSize(5);
    assertThat(storage().traceReader().getTrace(t, Integer.MAX_VALUE)).hasSize(5);
  }

  @Test
  default void getTraceWithLimit_unknownTraceIsEmpty() {
    assertThat(storage().traceReader().getTrace(traceId(), 1)).isEmpty();
  }

  @Test
  default void getTraceWithLimit_rejectsALimitBelowOne() {
    String t = traceId();
    writeTrace(t, 2);

    assertThatThrownBy(() -> storage().traceReader().getTrace(t, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit: 0");
    assertThatThrownBy(() -> storage().traceReader().getTrace(t, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit: -1");
  }

  @Test
  default void getTraceWithLimit_rejectsAMalformedId() {
    assertThatThrownBy(() -> storage().traceReader().getTrace("xyz", 10))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  default void getTrace_readsALargeTraceWrittenInManyCallsWhole() {
    String t = traceId();
    String root = spanId();
    storage().spanConsumer().accept(List.of(span(t, root, "", "web", "root", 0, 1000).build()))
        .join();
    for (int call = 0; call < 10; call++) {
      List<Span> batch = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        batch.add(span(t, spanId(), root, "db", "q" + call, call * 50 + i, 1).build());
      }
      storage().spanConsumer().accept(batch).join();
    }

    assertThat(storage().traceReader().getTrace(t)).hasSize(501)
        .extracting(Span::spanId).doesNotHaveDuplicates();
    assertThat(storage().traceReader().getTrace(t, 100)).hasSize(100);
  }

  /** Writes a root and {@code n - 1} children into {@code traceId}. */
  private void writeTrace(String traceId, int n) {
    String root = spanId();
    List<Span> spans = new ArrayList<>();
    spans.add(span(traceId, root, "", "web", "op0", 0, 10).build());
    for (int i = 1; i < n; i++) {
      spans.add(span(traceId, spanId(), root, "web", "op" + i, i, 1).build());
    }
    write(spans.toArray(Span[]::new));
  }
}
