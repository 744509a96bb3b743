package dev.sextant.storage.conformance;

import static dev.sextant.storage.conformance.Fixtures.DAY;
import static dev.sextant.storage.conformance.Fixtures.MS;
import static dev.sextant.storage.conformance.Fixtures.NOW;
import static dev.sextant.storage.conformance.Fixtures.SECOND;
import static dev.sextant.storage.conformance.Fixtures.root;
import static dev.sextant.storage.conformance.Fixtures.span;
import static dev.sextant.storage.conformance.Fixtures.spanId;
import static dev.sextant.storage.conformance.Fixtures.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.Attributes;
import dev.sextant.storage.Span;
import dev.sextant.storage.StatusCode;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.TraceQuery.Order;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link dev.sextant.storage.SpanSearch#search}: every {@link TraceQuery} criterion, its edges
 * (inclusive or exclusive as documented), the limit and both orders. A trace matches when one of
 * its spans meets every criterion at once.
 */
public interface SpanSearchContract extends StorageKit {

  @Test
  default void search_defaultQueryFindsEveryTrace() {
    Span a = root("web", "a", 0, 1);
    Span b = root("db", "b", 1, 1);
    write(a, b);

    assertThat(search(TraceQuery.builder().build()))
        .containsExactlyInAnyOrder(a.traceId(), b.traceId());
  }

  @Test
  default void search_noMatchIsEmpty() {
    write(root("web", "a", 0, 1));

    assertThat(search(TraceQuery.builder().serviceName("nobody").build())).isEmpty();
  }

  @Test
  default void search_serviceMatchesAnySpanOfTheTraceNotOnlyTheRoot() {
    String t = traceId();
    String r = spanId();
    write(span(t, r, "", "web", "root", 0, 10).build(),
        span(t, spanId(), r, "db", "query", 1, 1).build(),
        root("other", "x", 0, 1));

    assertThat(search(TraceQuery.builder().serviceName("db").build())).containsExactly(t);
  }

  @Test
  default void search_serviceNameIsExact() {
    Span s = root("checkout", "pay", 0, 1);
    write(s);

    assertThat(search(TraceQuery.builder().serviceName("check").build())).isEmpty();
    assertThat(search(TraceQuery.builder().serviceName("Checkout").build())).isEmpty();
    assertThat(search(TraceQuery.builder().serviceName("checkout").build()))
        .containsExactly(s.traceId());
  }

  @Test
  default void search_spanNameIsExact() {
    Span s = root("web", "GET /orders", 0, 1);
    write(s, root("web", "GET /orders/{id}", 0, 1));

    assertThat(search(TraceQuery.builder().spanName("GET /orders").build()))
        .containsExactly(s.traceId());
    assertThat(search(TraceQuery.builder().spanName("get /orders").build())).isEmpty();
  }

  @Test
  default void search_serviceAndSpanNameMustMatchTheSameSpan() {
    String t = traceId();
    String r = spanId();
    write(span(t, r, "", "web", "root", 0, 10).build(),
        span(t, spanId(), r, "db", "query", 1, 1).build());

    assertThat(search(TraceQuery.builder().serviceName("web").spanName("query").build()))
        .isEmpty();
    assertThat(search(TraceQuery.builder().serviceName("db").spanName("query").build()))
        .containsExactly(t);
  }

  @Test
  default void search_attributeMatchesTheSpansOwnAttributes() {
    Span s = span(traceId(), spanId(), "", "web", "a", 0, 1)
        .attributes(Attributes.of("http.route", "/pay")).build();
    write(s, span(traceId(), spanId(), "", "web", "b", 0, 1)
        .attributes(Attributes.of("http.route", "/refund")).build());

    assertThat(search(TraceQuery.builder().attribute("http.route", "/pay").build()))
        .containsExactly(s.traceId());
  }

  @Test
  default void search_attributeMatchesResourceAttributes() {
    Span s = span(traceId(), spanId(), "", "web", "a", 0, 1)
        .resourceAttributes(Attributes.of("service.name", "web", "host.name", "h1")).build();
    write(s, span(traceId(), spanId(), "", "web", "b", 0, 1)
        .resourceAttributes(Attributes.of("service.name", "web", "host.name", "h2")).build());

    assertThat(search(TraceQuery.builder().attribute("host.name", "h1").build()))
        .containsExactly(s.traceId());
  }

  @Test
  default void search_attributeMatchesNonStringValuesByTheirText() {
    Span s = span(traceId(), spanId(), "", "web", "a", 0, 1)
        .attributes(Attributes.of("http.status_code", 503L, "retry", true)).build();
    write(s);

    assertThat(search(TraceQuery.builder().attribute("http.status_code", "503").build()))
        .containsExactly(s.traceId());
    assertThat(search(TraceQuery.builder().attribute("retry", "true").build()))
        .containsExactly(s.traceId());
    assertThat(search(TraceQuery.builder().attribute("http.status_code", "500").build()))
        .isEmpty();
  }

  @Test
  default void search_attributeValueMustMatchExactly() {
    write(span(traceId(), spanId(), "", "web", "a", 0, 1)
        .attributes(Attributes.of("user", "Alice Smith")).build());

    assertThat(search(TraceQuery.builder().attribute("user", "Alice").build())).isEmpty();
    assertThat(search(TraceQuery.builder().attribute("user", "alice smith").build())).isEmpty();
    assertThat(search(TraceQuery.builder().attribute("User", "Alice Smith").build())).isEmpty();
    assertThat(search(TraceQuery.builder().attribute("user", "Alice Smith").build())).hasSize(1);
  }

  @Test
  default void search_everyAttributeMustMatchOnTheSameSpan() {
    String t = traceId();
    String r = spanId();
    write(span(t, r, "", "web", "root", 0, 10).attributes(Attributes.of("a", "1")).build(),
        span(t, spanId(), r, "web", "child", 1, 1).attributes(Attributes.of("b", "2")).build());

    assertThat(search(TraceQuery.builder().attribute("a", "1").attribute("b", "2").build()))
        .isEmpty();
    assertThat(search(TraceQuery.builder().attribute("a", "1").build())).containsExactly(t);
  }

  @Test
  default void search_minDurationIsInclusive() {
    Span exact = root("web", "exact", 0, 100 * MS);
    Span shorter = root("web", "shorter", 0, 100 * MS - 1);
    write(exact, shorter);

    assertThat(search(TraceQuery.builder().minDuration(Duration.ofMillis(100)).build()))
        .containsExactly(exact.traceId());
  }

  @Test
  default void search_maxDurationIsInclusive() {
    Span exact = root("web", "exact", 0, 100 * MS);
    Span longer = root("web", "longer", 0, 100 * MS + 1);
    write(exact, longer);

    assertThat(search(TraceQuery.builder().maxDuration(Duration.ofMillis(100)).build()))
        .containsExactly(exact.traceId());
  }

  @Test
  default void search_durationRangeKeepsOnlySpansBetweenItsBounds() {
    Span fast = root("web", "fast", 0, 5 * MS);
    Span mid = root("web", "mid", 0, 50 * MS);
    Span slow = root("web", "slow", 0, 500 * MS);
    write(fast, mid, slow);

    assertThat(search(TraceQuery.builder().minDuration(Duration.ofMillis(10))
        .maxDuration(Duration.ofMillis(100)).build())).containsExactly(mid.traceId());
  }

  @Test
  default void search_durationIsOfTheMatchingSpanNotTheTrace() {
    String t = traceId();
    String r = spanId();
    write(span(t, r, "", "web", "root", 0, 2 * SECOND).build(),
        span(t, spanId(), r, "db", "query", 1, MS).build());

    assertThat(search(TraceQuery.builder().serviceName("db")
        .minDuration(Duration.ofSeconds(1)).build())).isEmpty();
    assertThat(search(TraceQuery.builder().serviceName("web")
        .minDuration(Duration.ofSeconds(1)).build())).containsExactly(t);
  }

  @Test
  default void search_errorsOnlyMatchesOnlyErrorStatus() {
    Span failed = span(traceId(), spanId(), "", "web", "a", 0, 1)
        .statusCode(StatusCode.ERROR).build();
    write(failed, span(traceId(), spanId(), "", "web", "b", 0, 1)
            .statusCode(StatusCode.OK).build(),
        span(traceId(), spanId(), "", "web", "c", 0, 1).statusCode(StatusCode.UNSET).build());

    assertThat(search(TraceQuery.builder().errorsOnly(true).build()))
        .containsExactly(failed.traceId());
    assertThat(search(TraceQuery.builder().errorsOnly(false).build())).hasSize(3);
  }

  @Test
  default void search_errorsOnlyFindsATraceByAFailedChild() {
    String t = traceId();
    String r = spanId();
    write(span(t, r, "", "web", "root", 0, 10).build(),
        span(t, spanId(), r, "db", "query", 1, 1).statusCode(StatusCode.ERROR).build());

    assertThat(search(TraceQuery.builder().errorsOnly(true).build())).containsExactly(t);
    assertThat(search(TraceQuery.builder().serviceName("web").errorsOnly(true).build()))
        .isEmpty();
  }

  @Test
  default void search_timeRangeFromIsInclusive() {
    Span at = root("web", "at", 10 * SECOND, 1);
    Span before = root("web", "before", 10 * SECOND - 1, 1);
    write(at, before);

    assertThat(search(TraceQuery.builder().timeRange(NOW + 10 * SECOND, NOW + 20 * SECOND)
        .build())).containsExactly(at.traceId());
  }

  @Test
  default void search_timeRangeToIsExclusive() {
    Span at = root("web", "at", 10 * SECOND, 1);
    Span before = root("web", "before", 10 * SECOND - 1, 1);
    write(at, before);

    assertThat(search(TraceQuery.builder().timeRange(NOW, NOW + 10 * SECOND).build()))
        .containsExactly(before.traceId());
  }

  @Test
  default void search_emptyTimeRangeFindsNothing() {
    Span s = root("web", "a", SECOND, 1);
    write(s);

    assertThat(search(TraceQuery.builder().timeRange(s.startTimeUnixNano(),
        s.startTimeUnixNano()).build())).isEmpty();
  }

  @Test
  default void search_timeRangeIsAboutTheSpanStart() {
    Span s = root("web", "long", 0, 20 * SECOND);
    write(s);

    // Running across the whole range, but started before it: not a match.
    assertThat(search(TraceQuery.builder().timeRange(NOW + SECOND, NOW + 2 * SECOND).build()))
        .isEmpty();
  }

  @Test
  default void search_findsASpanWrittenLongAfterItStarted() {
    Span old = root("batch", "nightly", -3 * DAY, SECOND);
    write(old, root("batch", "now", 0, 1));

    assertThat(search(TraceQuery.builder().timeRange(NOW - 4 * DAY, NOW - 2 * DAY).build()))
        .containsExactly(old.traceId());
  }

  @Test
  default void search_limitKeepsTheNewestTraces() {
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      spans.add(root("web", "op", i * SECOND, 1));
    }
    write(spans.toArray(Span[]::new));

    assertThat(search(TraceQuery.builder().limit(2).build()))
        .containsExactly(spans.get(4).traceId(), spans.get(3).traceId());
  }

  @Test
  default void search_startDescOrderIsNewestTraceFirst() {
    Span first = root("web", "op", 0, 1);
    Span second = root("web", "op", SECOND, 1);
    Span third = root("web", "op", 2 * SECOND, 1);
    write(second, third, first);

    assertThat(search(TraceQuery.builder().order(Order.START_DESC).build()))
        .containsExactly(third.traceId(), second.traceId(), first.traceId());
  }

  @Test
  default void search_durationDescOrderIsLongestTraceFirst() {
    Span shortest = root("web", "op", 0, MS);
    Span longest = root("web", "op", SECOND, 300 * MS);
    Span middle = root("web", "op", 2 * SECOND, 20 * MS);
    write(shortest, longest, middle);

    assertThat(search(TraceQuery.builder().order(Order.DURATION_DESC).build()))
        .containsExactly(longest.traceId(), middle.traceId(), shortest.traceId());
  }

  @Test
  default void search_durationDescOrderWithALimitKeepsTheLongest() {
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      // Durations 0, 5, 10, 15, 20, 25 ms in shuffled start order.
      spans.add(root("web", "op", ((i * 5) % 6) * SECOND, i * 5 * MS + 1));
    }
    write(spans.toArray(Span[]::new));

    assertThat(search(TraceQuery.builder().order(Order.DURATION_DESC).limit(3).build()))
        .containsExactly(spans.get(5).traceId(), spans.get(4).traceId(), spans.get(3).traceId());
  }

  @Test
  default void search_traceMatchedBySeveralSpansIsReturnedOnce() {
    String t = traceId();
    String r = spanId();
    write(span(t, r, "", "web", "root", 0, 10).build(),
        span(t, spanId(), r, "web", "a", 1, 1).build(),
        span(t, spanId(), r, "web", "b", 2, 1).build());

    assertThat(search(TraceQuery.builder().serviceName("web").build())).containsExactly(t);
  }

  @Test
  default void search_limitCountsTracesNotSpans() {
    List<Span> spans = new ArrayList<>();
    List<String> traces = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String t = traceId();
      traces.add(0, t);
      String r = spanId();
      spans.add(span(t, r, "", "web", "root", i * SECOND, 10).build());
      for (int j = 0; j < 4; j++) {
        spans.add(span(t, spanId(), r, "web", "child", i * SECOND + j + 1, 1).build());
      }
    }
    write(spans.toArray(Span[]::new));

    assertThat(search(TraceQuery.builder().limit(3).build())).containsExactlyElementsOf(traces);
  }

  @Test
  default void search_maxLimitReturnsEveryMatchUpToIt() {
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      spans.add(root("web", "op", i * MS, 1));
    }
    storage().spanConsumer().accept(spans).join();
    awaitSearchable(storage(), spans);

    assertThat(search(TraceQuery.builder().limit(TraceQuery.MAX_LIMIT).build())).hasSize(40);
    assertThat(search(TraceQuery.builder().limit(39).build())).hasSize(39);
  }

  @Test
  default void search_everyCriterionTogetherMustHoldOnOneSpan() {
    Span match = span(traceId(), spanId(), "", "checkout", "pay", 5 * SECOND, 2 * SECOND)
        .attributes(Attributes.of("region", "eu")).statusCode(StatusCode.ERROR).build();
    Span wrongRegion = span(traceId(), spanId(), "", "checkout", "pay", 5 * SECOND, 2 * SECOND)
        .attributes(Attributes.of("region", "us")).statusCode(StatusCode.ERROR).build();
    Span tooEarly = span(traceId(), spanId(), "", "checkout", "pay", 0, 2 * SECOND)
        .attributes(Attributes.of("region", "eu")).statusCode(StatusCode.ERROR).build();
    Span ok = span(traceId(), spanId(), "", "checkout", "pay", 5 * SECOND, 2 * SECOND)
        .attributes(Attributes.of("region", "eu")).build();
    write(match, wrongRegion, tooEarly, ok);

    assertThat(search(TraceQuery.builder().serviceName("checkout").spanName("pay")
        .attribute("region", "eu").errorsOnly(true).minDuration(Duration.ofSeconds(1))
        .maxDuration(Duration.ofSeconds(3)).timeRange(NOW + SECOND, NOW + 10 * SECOND)
        .build())).containsExactly(match.traceId());
  }
}
