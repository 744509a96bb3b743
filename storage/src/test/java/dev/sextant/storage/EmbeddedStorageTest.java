package dev.sextant.storage;

import dev.sextant.storage.embedded.EmbeddedStorage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.storage.embedded.DefaultEmbeddedStorage;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.TimeSeries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedStorageTest {
  // Recent spans: the retention job (7 days by default) must not consider them expired.
  private static final long NOW = System.currentTimeMillis() * 1_000_000L;

  @TempDir
  Path dir;

  @Test
  void getTrace_returnsEverySpanOfTheTraceOnly() {
    String trace = TestSpans.randomHex(32);
    String other = TestSpans.randomHex(32);
    try (Storage s = EmbeddedStorage.open(dir)) {
      s.spanConsumer().accept(List.of(
          TestSpans.span(trace, "1000000000000001", "", "a", "root", 1000, 50),
          TestSpans.span(trace, "1000000000000002", "1000000000000001", "b", "child", 1010, 20),
          TestSpans.span(other, "1000000000000003", "", "a", "other", 1000, 5))).join();
      assertThat(s.traceReader().getTrace(trace)).extracting(Span::name)
          .containsExactlyInAnyOrder("root", "child");
      assertThat(s.traceReader().getTrace(TestSpans.randomHex(32))).isEmpty();
    }
  }

  @Test
  void accept_survivesReopen() {
    String trace = TestSpans.randomHex(32);
    Span rich = TestSpans.rich(trace);
    try (Storage s = EmbeddedStorage.open(dir)) {
      s.spanConsumer().accept(List.of(rich)).join();
    }
    try (Storage s = EmbeddedStorage.open(dir)) {
      assertThat(s.traceReader().getTrace(trace)).singleElement()
          .usingRecursiveComparison().ignoringFields("attributes").isEqualTo(rich);
    }
  }

  @Test
  void accept_resentSpanIsStoredOnce() {
    String trace = TestSpans.randomHex(32);
    Span span = TestSpans.span(trace, "2000000000000001", "", "a", "root", 1, 2);
    try (Storage s = EmbeddedStorage.open(dir)) {
      s.spanConsumer().accept(List.of(span)).join();
      s.spanConsumer().accept(List.of(span)).join();
      assertThat(s.traceReader().getTrace(trace)).hasSize(1);
    }
  }

  @Test
  void accept_concurrentWritersAreGroupedAndAllDurable() {
    String trace = TestSpans.randomHex(32);
    try (Storage s = EmbeddedStorage.open(dir)) {
      List<CompletableFuture<Void>> acks = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String spanId = String.format("3%015x", i);
        acks.add(CompletableFuture.supplyAsync(() -> s.spanConsumer()
            .accept(List.of(TestSpans.span(trace, spanId, "", "a", "op", 1, 1)))).join());
      }
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
      assertThat(s.traceReader().getTrace(trace)).hasSize(200);
    }
  }

  @Test
  void accept_invalidIdsFailWithoutWritingAnything() {
    String trace = TestSpans.randomHex(32);
    try (Storage s = EmbeddedStorage.open(dir)) {
      CompletableFuture<Void> f = s.spanConsumer().accept(List.of(
          TestSpans.span(trace, "4000000000000001", "", "a", "ok", 1, 1),
          TestSpans.span(trace, "0000000000000000", "", "a", "bad", 1, 1)));
      assertThat(f).isCompletedExceptionally();
      assertThat(s.traceReader().getTrace(trace)).isEmpty();
    }
  }

  @Test
  void accept_spansAreSearchableOnAcknowledgement() {
    String trace = TestSpans.randomHex(32);
    try (Storage s = EmbeddedStorage.open(dir)) {
      s.spanConsumer().accept(List.of(
          TestSpans.span(trace, "6000000000000001", "", "checkout", "POST /pay", NOW, 50),
          TestSpans.span(trace, "6000000000000002", "6000000000000001", "payments", "charge",
              NOW + 10, 20))).join();
      List<TraceSummary> found = s.spanSearch().search(TraceQuery.builder()
          .serviceName("payments").build());
      assertThat(found).singleElement().satisfies(t -> {
        assertThat(t.traceId()).isEqualTo(trace);
        assertThat(t.rootServiceName()).isEqualTo("checkout");
        assertThat(t.spanCount()).isEqualTo(2);
      });
      assertThat(s.spanSearch().services()).contains("checkout", "payments");
    }
  }

  @Test
  void open_reindexesSpansTheSearchIndexLost() throws Exception {
    String trace = TestSpans.randomHex(32);
    try (Storage s = EmbeddedStorage.open(dir)) {
      s.spanConsumer().accept(List.of(
          TestSpans.span(trace, "7000000000000001", "", "lost", "root", NOW, 50))).join();
    }
    // As if the process died before the index committed: the index is gone, the spans are not.
    try (var files = Files.walk(dir.resolve("search"))) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    try (Storage s = EmbeddedStorage.open(dir)) {
      assertThat(s.spanSearch().search(TraceQuery.builder().serviceName("lost").build()))
          .extracting(TraceSummary::traceId).containsExactly(trace);
    }
  }

  @Test
  void applyRetention_dropsExpiredDataOfEverySignalWhole() {
    String trace = TestSpans.randomHex(32);
    long now = System.currentTimeMillis();
    // One-minute blocks: two hours later the block written now has surely ended an hour ago.
    try (Storage s = EmbeddedStorage.builder().dataDir(dir)
        .blockDuration(Duration.ofMinutes(1))
        .retention(new Retention(Duration.ofHours(1), Duration.ofHours(1),
            Duration.ofHours(1))).build()) {
      s.spanConsumer().accept(List.of(TestSpans.span(trace, "8000000000000001", "", "old", "op",
          now * 1_000_000L, 5))).join();
      s.logConsumer().accept(List.of(LogRecord.builder().timeUnixNano(now * 1_000_000L)
          .body("old line").serviceName("old").build())).join();
      s.metricWriter().write(List.of(TimeSeries.of(
          Labels.of("__name__", "m"), now, 1))).join();
      var internal = (DefaultEmbeddedStorage) s;
      internal.applyRetention(now + 10 * 60_000); // ten minutes later: nothing expired
      assertThat(s.traceReader().getTrace(trace)).hasSize(1);
      internal.applyRetention(now + 2 * 3_600_000); // two hours later: all expired
      assertThat(s.traceReader().getTrace(trace)).isEmpty();
      assertThat(s.spanSearch().search(TraceQuery.builder().serviceName("old").build())).isEmpty();
      assertThat(s.logReader().search(LogQuery.builder().text("old").build()).records())
          .isEmpty();
    }
  }

  @Test
  void compactNow_keepsEverySignalReadable() {
    String trace = TestSpans.randomHex(32);
    long now = System.currentTimeMillis();
    try (EmbeddedStorage s = EmbeddedStorage.open(dir)) {
      s.spanConsumer().accept(List.of(TestSpans.span(trace, "8000000000000001", "", "svc", "op",
          now * 1_000_000L, 5))).join();
      s.logConsumer().accept(List.of(LogRecord.builder().timeUnixNano(now * 1_000_000L)
          .body("compacted line").serviceName("svc").build())).join();
      s.metricWriter().write(List.of(TimeSeries.of(
          Labels.of("__name__", "m"), now, 1))).join();
      s.compactNow();
      assertThat(s.traceReader().getTrace(trace)).hasSize(1);
      assertThat(s.spanSearch().search(TraceQuery.builder().serviceName("svc").build()))
          .hasSize(1);
      assertThat(s.logReader().search(LogQuery.builder().text("compacted").build()).records())
          .hasSize(1);
      assertThat(s.metricReader().select(List.of(), now - 1, now + 1)).hasSize(1);
    }
  }

  @Test
  void blockDuration_isValidated() {
    assertThatThrownBy(() -> EmbeddedStorage.builder().blockDuration(Duration.ofSeconds(59)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("blockDuration: PT59S (expected: 1m-24h)");
    assertThatThrownBy(() -> EmbeddedStorage.builder().blockDuration(Duration.ofDays(2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blockDuration");
  }

  @Test
  void getTrace_rejectsMalformedId() {
    try (Storage s = EmbeddedStorage.open(dir)) {
      assertThatThrownBy(() -> s.traceReader().getTrace("abc"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 hex");
    }
  }

  @Test
  void accept_afterCloseIsRefused() {
    Storage s = EmbeddedStorage.open(dir);
    s.close();
    assertThat(s.spanConsumer().accept(List.of(
        TestSpans.span(TestSpans.randomHex(32), "5000000000000001", "", "a", "x", 1, 1))))
        .isCompletedExceptionally();
    assertThatThrownBy(s::check).isInstanceOf(StorageException.class);
  }
}
