package dev.sextant.storage.conformance;

import static dev.sextant.storage.conformance.Fixtures.span;
import static dev.sextant.storage.conformance.Fixtures.spanId;
import static dev.sextant.storage.conformance.Fixtures.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.Span;
import dev.sextant.storage.TraceQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * {@link dev.sextant.storage.SpanConsumer}: what an acknowledged write holds, atomic calls, and
 * spans identified by trace and span ID (a span sent twice is stored once).
 */
public interface SpanConsumerContract extends StorageKit {

  @Test
  default void accept_emptyListCompletes() {
    assertThat(storage().spanConsumer().accept(List.of())).succeedsWithin(
        Duration.ofSeconds(30));
  }

  @Test
  default void accept_sameSpanTwiceInOneCallIsStoredOnce() {
    Span s = span(traceId(), spanId(), "", "web", "root", 0, 1).build();
    write(s, s);

    assertThat(storage().traceReader().getTrace(s.traceId())).hasSize(1);
  }

  @Test
  default void accept_sameSpanInTwoCallsIsStoredOnce() {
    Span s = span(traceId(), spanId(), "", "web", "root", 0, 1).build();
    write(s);
    write(s);

    assertThat(storage().traceReader().getTrace(s.traceId())).hasSize(1);
    assertThat(storage().traceReader().getTrace(s.traceId(), 10)).hasSize(1);
  }

  @Test
  default void accept_spanSentAgainIsFoundByASearchOnce() {
    Span s = span(traceId(), spanId(), "", "web", "root", 0, 1).build();
    write(s);
    write(s);

    assertThat(search(TraceQuery.builder().serviceName("web").build()))
        .containsExactly(s.traceId());
  }

  @Test
  default void accept_spanSentAgainWithChangesReplacesIt() {
    Span first = span(traceId(), spanId(), "", "web", "first", 0, 1).build();
    Span second = span(first.traceId(), first.spanId(), "", "web", "second", 0, 5).build();
    write(first);
    write(second);

    assertThat(storage().traceReader().getTrace(first.traceId())).singleElement()
        .usingRecursiveComparison().isEqualTo(second);
  }

  @Test
  @Disabled("Bug: the search index keeps both versions of a span sent again with changes (one "
      + "document per write; summaries dedupe only documents with the same start, duration, "
      + "name and span ID bits), so the trace is found by the replaced name and its summary "
      + "counts 2 spans and keeps the old root name while getTrace holds 1. Needs a span-ID "
      + "keyed update or dedupe in the index: not a local fix.")
  default void accept_spanSentAgainWithChangesIsSearchedAndSummarisedAsReplaced() {
    Span first = span(traceId(), spanId(), "", "web", "first", 0, 1).build();
    Span second = span(first.traceId(), first.spanId(), "", "web", "second", 0, 5).build();
    write(first);
    write(second);

    assertThat(search(TraceQuery.builder().spanName("first").build())).isEmpty();
    assertThat(storage().spanSearch().search(TraceQuery.builder().spanName("second").build()))
        .singleElement().satisfies(s -> {
          assertThat(s.spanCount()).isEqualTo(1);
          assertThat(s.rootSpanName()).isEqualTo("second");
          assertThat(s.durationNanos()).isEqualTo(5);
        });
  }

  @Test
  default void accept_idsInEitherCaseAreStoredInLowercase() {
    String t = traceId().replace('1', 'c');
    String id = spanId().replace('1', 'd');
    storage().spanConsumer().accept(List.of(span(t.toUpperCase(Locale.ROOT),
        id.toUpperCase(Locale.ROOT), "", "web", "shouted", 0, 1).build())).join();

    assertThat(storage().traceReader().getTrace(t)).singleElement().satisfies(s -> {
      assertThat(s.traceId()).isEqualTo(t);
      assertThat(s.spanId()).isEqualTo(id);
    });
  }

  @Test
  default void accept_sameSpanIdInAnotherTraceIsAnotherSpan() {
    String id = spanId();
    Span a = span(traceId(), id, "", "web", "a", 0, 1).build();
    Span b = span(traceId(), id, "", "web", "b", 0, 1).build();
    write(a, b);

    assertThat(storage().traceReader().getTrace(a.traceId())).extracting(Span::name)
        .containsExactly("a");
    assertThat(storage().traceReader().getTrace(b.traceId())).extracting(Span::name)
        .containsExactly("b");
  }

  @Test
  default void accept_spansOfOneTraceInSeveralCallsAreReadTogether() {
    String t = traceId();
    String root = spanId();
    write(span(t, spanId(), root, "db", "late child", 5, 1).build());
    write(span(t, root, "", "web", "root", 0, 10).build());

    assertThat(storage().traceReader().getTrace(t)).extracting(Span::name)
        .containsExactlyInAnyOrder("root", "late child");
  }

  @Test
  default void accept_anInvalidSpanIdFailsTheWholeCall() {
    String t = traceId();
    CompletableFuture<Void> f = storage().spanConsumer().accept(List.of(
        span(t, spanId(), "", "web", "ok", 0, 1).build(),
        span(t, "0".repeat(16), "", "web", "zero id", 0, 1).build()));

    assertThat(f).failsWithin(Duration.ofSeconds(30))
        .withThrowableThat().havingRootCause().isInstanceOf(IllegalArgumentException.class);
    assertThat(storage().traceReader().getTrace(t)).isEmpty();
  }

  @Test
  default void accept_anInvalidTraceIdFailsTheWholeCall() {
    String t = traceId();
    CompletableFuture<Void> f = storage().spanConsumer().accept(List.of(
        span(t, spanId(), "", "web", "ok", 0, 1).build(),
        span("xyz", spanId(), "", "web", "bad trace", 0, 1).build()));

    assertThat(f).failsWithin(Duration.ofSeconds(30))
        .withThrowableThat().havingRootCause().isInstanceOf(IllegalArgumentException.class);
    assertThat(storage().traceReader().getTrace(t)).isEmpty();
  }

  @Test
  default void accept_callsInFlightTogetherAreAllDurableOnAcknowledgement() {
    String t = traceId();
    List<CompletableFuture<Void>> acks = new ArrayList<>();
    // Made from this thread (a backend may resolve the caller's tenant per thread), all in
    // flight before the first is waited for.
    for (int i = 0; i < 64; i++) {
      Span s = span(t, spanId(), "", "web", "op" + i, i, 1).build();
      acks.add(storage().spanConsumer().accept(List.of(s)));
    }
    CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();

    assertThat(storage().traceReader().getTrace(t)).hasSize(64);
  }
}
