package dev.sextant.storage.conformance;

import static dev.sextant.storage.conformance.Fixtures.NOW;
import static dev.sextant.storage.conformance.Fixtures.SECOND;
import static dev.sextant.storage.conformance.Fixtures.log;
import static dev.sextant.storage.conformance.Fixtures.spanId;
import static dev.sextant.storage.conformance.Fixtures.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.Attributes;
import dev.sextant.storage.LogPage;
import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogQueryBuilder;
import dev.sextant.storage.LogRecord;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * {@link dev.sextant.storage.LogReader} and {@link dev.sextant.storage.LogConsumer}: every
 * {@link LogQuery} criterion, its edges, the order, and what a write stores.
 */
public interface LogSearchContract extends StorageKit {

  private List<String> bodies(LogQueryBuilder q) {
    return storage().logReader().search(q.build()).records().stream().map(LogRecord::body)
        .toList();
  }

  @Test
  default void logSearch_returnsNewestFirst() {
    write(log("a", "second", SECOND).build(), log("a", "third", 2 * SECOND).build(),
        log("a", "first", 0).build());

    assertThat(bodies(LogQuery.builder())).containsExactly("third", "second", "first");
  }

  @Test
  default void logSearch_tiesAreInReverseOrderOfArrival() {
    write(log("a", "one", 0).build(), log("a", "two", 0).build());
    write(log("a", "three", 0).build());

    assertThat(bodies(LogQuery.builder())).containsExactly("three", "two", "one");
  }

  @Test
  default void logSearch_usesTheObservedTimeWhenTheRecordHasNoTime() {
    write(log("a", "observed late", 0).timeUnixNano(0).observedTimeUnixNano(NOW + 5 * SECOND)
        .build(), log("a", "timed", SECOND).observedTimeUnixNano(NOW + 9 * SECOND).build());

    assertThat(bodies(LogQuery.builder())).containsExactly("observed late", "timed");
    assertThat(bodies(LogQuery.builder().timeRange(NOW + 5 * SECOND, NOW + 6 * SECOND)))
        .containsExactly("observed late");
  }

  @Test
  default void logSearch_emptyStoreIsOneEmptyLastPage() {
    LogPage page = storage().logReader().search(LogQuery.builder().build());

    assertThat(page.records()).isEmpty();
    assertThat(page.hasMore()).isFalse();
  }

  @Test
  default void logSearch_textNeedsEveryWordInAnyCase() {
    write(log("a", "Payment DECLINED for order 42", 0).build(),
        log("a", "payment accepted", 1).build());

    assertThat(bodies(LogQuery.builder().text("payment declined")))
        .containsExactly("Payment DECLINED for order 42");
    assertThat(bodies(LogQuery.builder().text("PAYMENT"))).hasSize(2);
  }

  @Test
  default void logSearch_textMatchesAQuotedPhraseInOrder() {
    write(log("a", "card was declined", 0).build(), log("a", "declined card", 1).build());

    assertThat(bodies(LogQuery.builder().text("\"card was declined\"")))
        .containsExactly("card was declined");
    assertThat(bodies(LogQuery.builder().text("\"was card\""))).isEmpty();
  }

  @Test
  default void logSearch_textExcludesAMinusWord() {
    write(log("a", "timeout calling db", 0).build(), log("a", "timeout calling cache", 1)
        .build());

    assertThat(bodies(LogQuery.builder().text("timeout -cache")))
        .containsExactly("timeout calling db");
  }

  @Test
  default void logSearch_textMatchesEitherSideOfABar() {
    write(log("a", "disk full", 0).build(), log("a", "out of memory", 1).build(),
        log("a", "all good", 2).build());

    assertThat(bodies(LogQuery.builder().text("disk | memory")))
        .containsExactly("out of memory", "disk full");
  }

  @Test
  default void logSearch_textMatchesAPrefixWithAStar() {
    write(log("a", "connection refused", 0).build(), log("a", "connected", 1).build(),
        log("a", "disconnected", 2).build());

    assertThat(bodies(LogQuery.builder().text("connect*")))
        .containsExactly("connected", "connection refused");
  }

  @Test
  default void logSearch_minSeverityIsInclusive() {
    write(log("a", "info", 0).severityNumber(9).build(),
        log("a", "warn", 1).severityNumber(13).build(),
        log("a", "error", 2).severityNumber(17).build(),
        log("a", "none", 3).build());

    assertThat(bodies(LogQuery.builder().minSeverity(13))).containsExactly("error", "warn");
    assertThat(bodies(LogQuery.builder().minSeverity(17))).containsExactly("error");
  }

  @Test
  default void logSearch_minSeverityZeroIncludesRecordsWithoutSeverity() {
    write(log("a", "info", 0).severityNumber(9).build(), log("a", "none", 1).build());

    assertThat(bodies(LogQuery.builder().minSeverity(0))).containsExactly("none", "info");
    assertThat(bodies(LogQuery.builder().minSeverity(1))).containsExactly("info");
  }

  @Test
  default void logSearch_serviceNameIsExact() {
    write(log("checkout", "a", 0).build(), log("checkout-v2", "b", 1).build());

    assertThat(bodies(LogQuery.builder().serviceName("checkout"))).containsExactly("a");
    assertThat(bodies(LogQuery.builder().serviceName("Checkout"))).isEmpty();
  }

  @Test
  default void logSearch_byTraceIdAndSpanIdInEitherCase() {
    String trace = traceId().replace('1', 'a');
    String span = spanId().replace('1', 'b');
    write(log("a", "in span", 0).traceId(trace).spanId(span).build(),
        log("a", "same trace", 1).traceId(trace).spanId(spanId()).build(),
        log("a", "other trace", 2).traceId(traceId()).build());

    assertThat(bodies(LogQuery.builder().traceId(trace.toUpperCase(Locale.ROOT))))
        .containsExactly("same trace", "in span");
    assertThat(bodies(LogQuery.builder().traceId(trace).spanId(span.toUpperCase(Locale.ROOT))))
        .containsExactly("in span");
    assertThat(bodies(LogQuery.builder().traceId(traceId()))).isEmpty();
  }

  @Test
  default void logSearch_correlationIdIsExact() {
    write(log("a", "one", 0).correlationId("order-42").build(),
        log("a", "two", 1).correlationId("order-421").build());

    assertThat(bodies(LogQuery.builder().correlationId("order-42"))).containsExactly("one");
  }

  @Test
  default void logSearch_attributeMatchesRecordAndResourceAttributes() {
    write(log("a", "record", 0).attributes(Attributes.of("user", "u1")).build(),
        log("a", "resource", 1).resourceAttributes(Attributes.of("user", "u1")).build(),
        log("a", "other", 2).attributes(Attributes.of("user", "u2")).build());

    assertThat(bodies(LogQuery.builder().attribute("user", "u1")))
        .containsExactly("resource", "record");
  }

  @Test
  default void logSearch_attributeMatchesNonStringValuesByTheirText() {
    write(log("a", "typed", 0).attributes(Attributes.of("status", 200L, "retried", true,
        "ratio", 2.5)).build());

    assertThat(bodies(LogQuery.builder().attribute("status", "200"))).containsExactly("typed");
    assertThat(bodies(LogQuery.builder().attribute("retried", "true"))).containsExactly("typed");
    assertThat(bodies(LogQuery.builder().attribute("ratio", "2.5"))).containsExactly("typed");
    assertThat(bodies(LogQuery.builder().attribute("status", "20"))).isEmpty();
  }

  @Test
  default void logSearch_everyAttributeMustMatch() {
    write(log("a", "both", 0).attributes(Attributes.of("k1", "v1", "k2", "v2")).build(),
        log("a", "one", 1).attributes(Attributes.of("k1", "v1")).build());

    assertThat(bodies(LogQuery.builder().attribute("k1", "v1").attribute("k2", "v2")))
        .containsExactly("both");
  }

  @Test
  default void logSearch_timeRangeFromIsInclusiveAndToExclusive() {
    write(log("a", "before", 10 * SECOND - 1).build(), log("a", "from", 10 * SECOND).build(),
        log("a", "last", 20 * SECOND - 1).build(), log("a", "to", 20 * SECOND).build());

    assertThat(bodies(LogQuery.builder().timeRange(NOW + 10 * SECOND, NOW + 20 * SECOND)))
        .containsExactly("last", "from");
  }

  @Test
  default void logSearch_everyCriterionMustHold() {
    String trace = traceId();
    write(log("pay", "card declined", 5 * SECOND).severityNumber(17).traceId(trace)
            .correlationId("c-1").attributes(Attributes.of("region", "eu")).build(),
        log("pay", "card declined", 5 * SECOND).severityNumber(9).traceId(trace)
            .correlationId("c-1").attributes(Attributes.of("region", "eu")).build(),
        log("pay", "card declined", 5 * SECOND).severityNumber(17).traceId(trace)
            .correlationId("c-2").attributes(Attributes.of("region", "eu")).build(),
        log("web", "card declined", 5 * SECOND).severityNumber(17).traceId(trace)
            .correlationId("c-1").attributes(Attributes.of("region", "eu")).build(),
        log("pay", "card declined", 50 * SECOND).severityNumber(17).traceId(trace)
            .correlationId("c-1").attributes(Attributes.of("region", "eu")).build());

    LogPage page = storage().logReader().search(LogQuery.builder().text("declined")
        .minSeverity(17).serviceName("pay").traceId(trace).correlationId("c-1")
        .attribute("region", "eu").timeRange(NOW, NOW + 10 * SECOND).build());
    assertThat(page.records()).singleElement().satisfies(r -> {
      assertThat(r.severityNumber()).isEqualTo(17);
      assertThat(r.timeUnixNano()).isEqualTo(NOW + 5 * SECOND);
    });
  }

  @Test
  default void logSearch_returnsEveryFieldAsWritten() {
    LogRecord r = LogRecord.builder().timeUnixNano(NOW).observedTimeUnixNano(NOW + 7)
        .severityNumber(13).severityText("WARN").body("{\"msg\":\"slow\"}")
        .attributes(Attributes.of("s", "x", "l", 3L, "d", 0.5, "b", false))
        .traceId(traceId()).spanId(spanId()).correlationId("c-9").serviceName("svc")
        .resourceAttributes(Attributes.of("service.name", "svc", "host.name", "h"))
        .scopeName("logger.Main").flags(1).droppedAttributesCount(2).build();
    write(r);

    assertThat(storage().logReader().search(LogQuery.builder().build()).records())
        .singleElement().usingRecursiveComparison().isEqualTo(r);
  }

  @Test
  default void logAccept_sameRecordTwiceIsStoredTwice() {
    LogRecord r = log("a", "again", 0).build();
    write(r);
    write(r);

    assertThat(bodies(LogQuery.builder())).containsExactly("again", "again");
  }

  @Test
  default void logAccept_idsInEitherCaseAreStoredAndFoundInLowercase() {
    String trace = traceId().replace('1', 'a');
    String span = spanId().replace('1', 'b');
    write(log("a", "shouted ids", 0).traceId(trace.toUpperCase(Locale.ROOT))
        .spanId(span.toUpperCase(Locale.ROOT)).build());

    assertThat(storage().logReader().search(LogQuery.builder().traceId(trace).spanId(span)
        .build()).records()).singleElement().satisfies(r -> {
          assertThat(r.traceId()).isEqualTo(trace);
          assertThat(r.spanId()).isEqualTo(span);
        });
  }

  @Test
  default void logAccept_anInvalidTraceIdFailsTheWholeCall() {
    CompletableFuture<Void> f = storage().logConsumer().accept(List.of(
        log("a", "fine", 0).build(), log("a", "bad", 1).traceId("xyz").build()));

    assertThat(f).failsWithin(Duration.ofSeconds(30)).withThrowableThat()
        .havingRootCause().isInstanceOf(IllegalArgumentException.class);
    assertThat(bodies(LogQuery.builder())).isEmpty();
  }
}
