package dev.sextant.storage.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.sextant.storage.LogPage;
import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogRecord;
import dev.sextant.storage.Pin;
import dev.sextant.storage.PinRequest;
import dev.sextant.storage.Retention;
import dev.sextant.storage.Span;
import dev.sextant.storage.TestSpans;
import dev.sextant.storage.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins over real embedded storage with one-minute blocks and two minutes of retention, on a
 * clock the test moves: what a pin keeps is read back once retention dropped its blocks.
 */
class PinsTest {
  private static final long MINUTE = 60_000;
  private static final long MS = 1_000_000L;
  private static final long T0 = System.currentTimeMillis() / MINUTE * MINUTE;

  @TempDir
  Path dir;

  private final ManualClock now = new ManualClock(T0);

  private DefaultEmbeddedStorage open() {
    return (DefaultEmbeddedStorage) EmbeddedStorage.builder().dataDir(dir)
        .retention(new Retention(Duration.ofMinutes(2), Duration.ofMinutes(2),
            Duration.ofDays(1)))
        .blockDuration(Duration.ofMinutes(1))
        .retentionCheckInterval(Duration.ofHours(1)) // the test runs retention itself
        .keepPinsAfterResolve(Duration.ofMinutes(30))
        .clock(now).build();
  }

  private static void write(DefaultEmbeddedStorage s, String trace, String spanId, String body) {
    s.spanConsumer().accept(List.of(TestSpans.span(trace, spanId, "", "payments", "charge",
        T0 * MS, 5 * MS))).join();
    s.logConsumer().accept(List.of(LogRecord.builder().timeUnixNano(T0 * MS + 1).body(body)
        .severityNumber(17).traceId(trace).spanId(spanId).correlationId("corr-" + body)
        .serviceName("payments").build())).join();
    await().atMost(Duration.ofSeconds(30)).until(() -> !logs(s, trace).isEmpty());
  }

  private static List<String> logs(DefaultEmbeddedStorage s, String trace) {
    return s.logReader().search(LogQuery.builder().traceId(trace).build()).records().stream()
        .map(LogRecord::body).toList();
  }

  private void dropOldBlocks(DefaultEmbeddedStorage s) {
    now.set(T0 + 4 * MINUTE);
    s.applyRetention(now.millis());
  }

  @Test
  void pin_keepsTraceAndLogLinesPastRetention_unpinnedOnesGo() {
    String pinned = TestSpans.randomHex(32);
    String other = TestSpans.randomHex(32);
    try (DefaultEmbeddedStorage s = open()) {
      write(s, pinned, "1000000000000001", "card declined");
      write(s, other, "1000000000000002", "timeout");
      Pin p = s.pins().pin(new PinRequest(pinned, "", "INC-1", "evidence", "alice"), now.millis());
      assertThat(p.spans()).isEqualTo(1);
      assertThat(p.logs()).isEqualTo(1);
      // While the blocks exist the copy does not show twice.
      assertThat(s.traceReader().getTrace(pinned)).hasSize(1);
      assertThat(logs(s, pinned)).containsExactly("card declined");

      dropOldBlocks(s);

      assertThat(s.traceReader().getTrace(other)).isEmpty();
      assertThat(logs(s, other)).isEmpty();
      assertThat(s.traceReader().getTrace(pinned)).extracting(Span::spanId)
          .containsExactly("1000000000000001");
      assertThat(s.traceReader().getTrace(pinned, 1)).hasSize(1);
      assertThat(logs(s, pinned)).containsExactly("card declined");
      assertThat(logs(s, pinned.toUpperCase(Locale.ROOT))).containsExactly("card declined");
      // other criteria apply to the copies too
      assertThat(s.logReader().search(LogQuery.builder().traceId(pinned).serviceName("orders")
          .build()).records()).isEmpty();
      assertThat(s.pins().list()).extracting(Pin::incidentId, Pin::reason, Pin::pinnedBy)
          .containsExactly(tuple("INC-1", "evidence", "alice"));
    }
  }

  @Test
  void pin_survivesReopen_andUnpinDropsTheCopies() {
    String trace = TestSpans.randomHex(32);
    String id;
    try (DefaultEmbeddedStorage s = open()) {
      write(s, trace, "2000000000000001", "boom");
      id = s.pins().pin(new PinRequest(trace, "", "", "look later", "bob"), now.millis()).id();
      dropOldBlocks(s);
    }
    try (DefaultEmbeddedStorage s = open()) {
      assertThat(s.traceReader().getTrace(trace)).hasSize(1);
      assertThat(s.pins().unpin(id)).isTrue();
      assertThat(s.pins().unpin(id)).isFalse();
      assertThat(s.traceReader().getTrace(trace)).isEmpty();
      assertThat(logs(s, trace)).isEmpty();
      assertThat(s.pins().list()).isEmpty();
    }
  }

  @Test
  void resolve_expiresPinsAfterTheKeepTime_sharedCopiesStayForTheOtherPin() {
    String trace = TestSpans.randomHex(32);
    try (DefaultEmbeddedStorage s = open()) {
      write(s, trace, "3000000000000001", "slow");
      s.pins().pin(new PinRequest(trace, "", "INC-1", "page", "alert"), now.millis());
      s.pins().pin(new PinRequest(trace, "", "INC-2", "page", "alert"), now.millis());
      dropOldBlocks(s);
      long resolvedAt = now.millis();
      assertThat(s.pins().resolve("INC-1", resolvedAt)).isEqualTo(1);
      assertThat(s.pins().resolve("INC-1", resolvedAt)).as("resolved already").isZero();
      assertThat(s.pins().list()).filteredOn(p -> p.incidentId().equals("INC-1"))
          .singleElement().satisfies(p -> {
            assertThat(p.resolvedAtMillis()).isEqualTo(resolvedAt);
            assertThat(p.expiresAtMillis()).isEqualTo(resolvedAt + 30 * MINUTE);
          });

      s.applyRetention(resolvedAt + 30 * MINUTE - 1);
      assertThat(s.pins().list()).hasSize(2);
      s.applyRetention(resolvedAt + 30 * MINUTE);
      assertThat(s.pins().list()).extracting(Pin::incidentId).containsExactly("INC-2");
      assertThat(s.traceReader().getTrace(trace)).as("INC-2 still holds it").hasSize(1);

      s.pins().resolve("INC-2", resolvedAt + 40 * MINUTE);
      s.applyRetention(resolvedAt + 70 * MINUTE);
      assertThat(s.pins().list()).isEmpty();
      assertThat(s.traceReader().getTrace(trace)).isEmpty();
    }
  }

  @Test
  void pin_byCorrelationId_keepsItsLogLines_andPagesThem() {
    try (DefaultEmbeddedStorage s = open()) {
      for (int i = 0; i < 3; i++) {
        s.logConsumer().accept(List.of(LogRecord.builder().timeUnixNano(T0 * MS + i)
            .body("line " + i).correlationId("order-7").serviceName("orders").build())).join();
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> s.logReader().search(
          LogQuery.builder().correlationId("order-7").build()).records().size() == 3);
      s.pins().pin(new PinRequest("", "order-7", "INC-9", "customer ticket", "carol"),
          now.millis());
      dropOldBlocks(s);
      LogPage first = s.logReader().search(LogQuery.builder().correlationId("order-7").limit(2)
          .build());
      assertThat(first.records()).extracting(LogRecord::body).containsExactly("line 2", "line 1");
      LogPage second = s.logReader().search(LogQuery.builder().correlationId("order-7").limit(2)
          .cursor(first.nextCursor()).build());
      assertThat(second.records()).extracting(LogRecord::body).containsExactly("line 0");
      assertThat(second.hasMore()).isFalse();
    }
  }

  @Test
  void pinRequest_refusesBadInputNamingTheField() {
    assertThatThrownBy(() -> new PinRequest("", "", "", "", "x"))
        .hasMessageContaining("exactly one");
    assertThatThrownBy(() -> new PinRequest("xyz", "", "", "", "x"))
        .hasMessageStartingWith("traceId: xyz");
    assertThatThrownBy(() -> new PinRequest("", "c", "", "r".repeat(201), "x"))
        .hasMessageStartingWith("reason: 201 characters (expected: <= 200)");
  }
}
