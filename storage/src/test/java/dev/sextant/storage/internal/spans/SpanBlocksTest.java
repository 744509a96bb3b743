package dev.sextant.storage.internal.spans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sextant.storage.Retention;
import dev.sextant.storage.Span;
import dev.sextant.storage.TestSpans;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.TraceSummary;
import dev.sextant.storage.embedded.DefaultEmbeddedStorage;
import dev.sextant.storage.internal.kv.BlockFamilies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpanBlocksTest {
  private static final long MINUTE = 60_000;
  private static final long MS = 1_000_000L;
  // A minute boundary, so T0 opens block "T0+60000".
  private static final long T0 = System.currentTimeMillis() / MINUTE * MINUTE;

  @TempDir
  Path dir;

  private final AtomicLong clock = new AtomicLong(T0);

  private DefaultEmbeddedStorage open(Duration traceRetention, Duration checkInterval) {
    return DefaultEmbeddedStorage.open(dir, 1 << 20,
        new Retention(traceRetention, Duration.ofDays(7), Duration.ofDays(15)), checkInterval,
        Duration.ofMinutes(1), clock::get);
  }

  private DefaultEmbeddedStorage open() {
    return open(Duration.ofDays(7), Duration.ofHours(1));
  }

  private static Span span(String trace, String spanId, String parent, String service,
      long startMillis) {
    return TestSpans.span(trace, spanId, parent, service, "op", startMillis * MS, 5 * MS);
  }

  private static String name(long startMillis) {
    return startMillis + "+" + MINUTE;
  }

  @Test
  void retention_dropsExpiredBlocksWholeOnSchedule() {
    String old = TestSpans.randomHex(32);
    String young = TestSpans.randomHex(32);
    try (DefaultEmbeddedStorage s = open(Duration.ofMinutes(2), Duration.ofMillis(100))) {
      s.spanConsumer().accept(List.of(span(old, "1000000000000001", "", "a", T0))).join();
      clock.set(T0 + 2 * MINUTE);
      s.spanConsumer().accept(List.of(span(young, "1000000000000002", "", "a", T0 + 2 * MINUTE)))
          .join();
      assertThat(Files.exists(dir.resolve("search").resolve(name(T0)))).isTrue();

      clock.set(T0 + 3 * MINUTE + 1); // the first block ended more than two minutes ago
      await().atMost(Duration.ofSeconds(20))
          .until(() -> !Files.exists(dir.resolve("search").resolve(name(T0))));
      assertThat(s.traceReader().getTrace(old)).isEmpty();
      assertThat(s.traceReader().getTrace(young)).hasSize(1);
      assertThat(s.spanSearch().search(TraceQuery.builder().serviceName("a").build()))
          .extracting(TraceSummary::traceId).containsExactly(young);
    }
    assertThat(BlockFamilies.existing(dir.resolve("traces")))
        .doesNotContain(SpanBlocks.PREFIX + name(T0))
        .contains(SpanBlocks.PREFIX + name(T0 + 2 * MINUTE));
  }

  @Test
  void search_skipsBlocksOutsideTheTimeRange() {
    try (DefaultEmbeddedStorage s = open()) {
      for (int i = 0; i < 4; i++) {
        clock.set(T0 + i * MINUTE);
        s.spanConsumer().accept(List.of(span(TestSpans.randomHex(32),
            String.format("20000000000000%02d", i + 1), "", "svc" + i, T0 + i * MINUTE))).join();
      }
      List<TraceSummary> found = s.spanSearch().search(TraceQuery.builder()
          .timeRange((T0 + 3 * MINUTE) * MS, (T0 + 4 * MINUTE) * MS).build());
      assertThat(found).extracting(TraceSummary::rootServiceName).containsExactly("svc3");
      // The last block matched; its neighbour in write order may hold more of its traces.
      assertThat(s.spans().blockSearches()).containsEntry(name(T0), 0L)
          .containsEntry(name(T0 + MINUTE), 0L)
          .containsEntry(name(T0 + 2 * MINUTE), 1L)
          .containsEntry(name(T0 + 3 * MINUTE), 1L);
    }
  }

  @Test
  void getTrace_returnsATraceWrittenAcrossTwoBlocksWhole() {
    String trace = TestSpans.randomHex(32);
    try (DefaultEmbeddedStorage s = open()) {
      s.spanConsumer().accept(List.of(span(trace, "3000000000000001", "", "front", T0 + 59_000)))
          .join();
      clock.set(T0 + MINUTE + 500);
      s.spanConsumer().accept(List.of(
          span(trace, "3000000000000002", "3000000000000001", "back", T0 + 59_500))).join();
      assertThat(s.spans().blockSearches()).hasSize(2);
      assertThat(s.traceReader().getTrace(trace)).extracting(Span::serviceName)
          .containsExactlyInAnyOrder("front", "back");
      // a limited read stops in the newest block and does not open the older one's spans
      assertThat(s.traceReader().getTrace(trace, 1)).extracting(Span::serviceName)
          .containsExactly("back");
      assertThat(s.traceReader().getTrace(trace, 2)).hasSize(2);
      assertThat(s.spanSearch().search(TraceQuery.builder().serviceName("back").build()))
          .singleElement().satisfies(t -> {
            assertThat(t.spanCount()).isEqualTo(2);
            assertThat(t.rootServiceName()).isEqualTo("front");
          });
    }
  }

  @Test
  void getTrace_returnsASpanResentIntoLaterBlocksOnceAsLastWritten() {
    String trace = TestSpans.randomHex(32);
    try (DefaultEmbeddedStorage s = open()) {
      s.spanConsumer().accept(List.of(span(trace, "5000000000000001", "", "first", T0),
          span(trace, "5000000000000002", "5000000000000001", "child", T0 + 1))).join();
      clock.set(T0 + MINUTE + 500);
      s.spanConsumer().accept(List.of(span(trace, "5000000000000001", "", "second", T0)))
          .join();
      clock.set(T0 + 2 * MINUTE + 500);
      s.spanConsumer().accept(List.of(span(trace, "5000000000000001", "", "third", T0),
          span(trace, "5000000000000003", "5000000000000001", "other", T0 + 2))).join();
      assertThat(s.spans().blockSearches()).hasSize(3);
      assertThat(s.traceReader().getTrace(trace))
          .extracting(x -> x.spanId() + " " + x.serviceName())
          .containsExactlyInAnyOrder("5000000000000001 third", "5000000000000002 child",
              "5000000000000003 other");
    }
  }

  @Test
  void open_reopensEveryBlock() {
    String a = TestSpans.randomHex(32);
    String b = TestSpans.randomHex(32);
    try (DefaultEmbeddedStorage s = open()) {
      s.spanConsumer().accept(List.of(span(a, "4000000000000001", "", "a", T0))).join();
      clock.set(T0 + MINUTE);
      s.spanConsumer().accept(List.of(span(b, "4000000000000002", "", "b", T0 + MINUTE))).join();
    }
    try (DefaultEmbeddedStorage s = open()) {
      assertThat(s.spans().blockSearches()).containsOnlyKeys(name(T0), name(T0 + MINUTE));
      assertThat(s.traceReader().getTrace(a)).hasSize(1);
      assertThat(s.traceReader().getTrace(b)).hasSize(1);
      assertThat(s.spanSearch().search(TraceQuery.builder()
          .timeRange(T0 * MS, (T0 + 1) * MS).build()))
          .extracting(TraceSummary::traceId).containsExactly(a);
      assertThat(s.spanSearch().services()).containsExactly("a", "b");
    }
  }

  @Test
  void accept_lateSpanGoesToTheCurrentBlockAndIsFoundByItsStartTime() {
    String trace = TestSpans.randomHex(32);
    clock.set(T0 + 10 * MINUTE);
    try (DefaultEmbeddedStorage s = open()) {
      s.spanConsumer().accept(List.of(span(trace, "5000000000000001", "", "late", T0))).join();
      assertThat(s.spans().blockSearches()).containsOnlyKeys(name(T0 + 10 * MINUTE));
      assertThat(s.spanSearch().search(TraceQuery.builder()
          .timeRange(T0 * MS, (T0 + 1) * MS).build()))
          .extracting(TraceSummary::traceId).containsExactly(trace);
    }
  }

  @Test
  void seal_compactsEndedBlocks_andALateWriteIntoASealedBlockStaysSearchable() {
    String first = TestSpans.randomHex(32);
    String late = TestSpans.randomHex(32);
    try (DefaultEmbeddedStorage s = open()) {
      s.spanConsumer().accept(List.of(span(first, "6000000000000001", "", "a", T0))).join();
      clock.set(T0 + MINUTE + s.sealGraceMillis() - 1);
      s.applyRetention(clock.get());
      assertThat(s.spans().sealedBlocks()).isEmpty(); // still in its grace period
      clock.set(T0 + MINUTE + s.sealGraceMillis());
      s.applyRetention(clock.get());
      assertThat(s.spans().sealedBlocks()).containsExactly(name(T0));

      clock.set(T0 + 30_000); // a clock set back: the write lands in the sealed block
      s.spanConsumer().accept(List.of(span(late, "6000000000000002", "", "b", T0))).join();
      assertThat(s.spans().sealedBlocks()).isEmpty();
      assertThat(s.spanSearch().search(TraceQuery.builder().serviceName("b").build()))
          .extracting(TraceSummary::traceId).containsExactly(late);
      clock.set(T0 + 2 * MINUTE);
      s.applyRetention(clock.get());
      assertThat(s.spans().sealedBlocks()).containsExactly(name(T0));
    }
    try (DefaultEmbeddedStorage s = open()) {
      assertThat(s.spans().sealedBlocks()).containsExactly(name(T0));
      assertThat(s.spanSearch().search(TraceQuery.builder().serviceName("b").build()))
          .extracting(TraceSummary::traceId).containsExactly(late);
      assertThat(s.traceReader().getTrace(first)).hasSize(1);
    }
  }

  @Test
  void search_countsDistinctSpansThatLookAlikeInTheIndexOnce_andAReSentSpanOnce() {
    // Same start, duration, name and span ID low 16 bits: the index cannot tell them apart.
    String trace = TestSpans.randomHex(32);
    List<Span> spans = List.of(span(trace, "4000000000000001", "", "a", T0),
        span(trace, "4000000000010001", "", "a", T0), span(trace, "4000000000020001", "", "a", T0));
    try (DefaultEmbeddedStorage s = open()) {
      s.spanConsumer().accept(spans).join();
      s.spanConsumer().accept(List.of(spans.get(0))).join();
      assertThat(s.spanSearch().search(TraceQuery.builder().serviceName("a").build()))
          .singleElement().satisfies(t -> {
            assertThat(t.spanCount()).isEqualTo(3);
            assertThat(t.rootServiceName()).isEqualTo("a");
            assertThat(t.durationNanos()).isEqualTo(5 * MS);
          });
    }
  }

  @Test
  void seal_rewritesSpansWithTheBlockDictionary_andEverySpanReadsBackAlike() {
    String trace = TestSpans.randomHex(32);
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      spans.add(TestSpans.rich(trace));
    }
    String late = TestSpans.randomHex(32);
    try (DefaultEmbeddedStorage s = open()) {
      s.spanConsumer().accept(spans).join();
      List<Span> before = sorted(s.traceReader().getTrace(trace));
      assertThat(before).hasSize(50);
      assertThat(s.spans().blocks().plainValues()).containsEntry(name(T0), 50L);

      clock.set(T0 + MINUTE + s.sealGraceMillis());
      s.applyRetention(clock.get());
      assertThat(s.spans().sealedBlocks()).containsExactly(name(T0));
      assertThat(s.spans().blocks().plainValues()).containsEntry(name(T0), 0L);
      assertThat(sorted(s.traceReader().getTrace(trace)))
          .usingRecursiveFieldByFieldElementComparator().isEqualTo(before);

      clock.set(T0 + 30_000); // a late write into the sealed block, then sealed again
      s.spanConsumer().accept(List.of(TestSpans.rich(late))).join();
      assertThat(s.spans().blocks().plainValues()).containsEntry(name(T0), 1L);
      clock.set(T0 + 2 * MINUTE);
      s.applyRetention(clock.get());
      assertThat(s.spans().sealedBlocks()).containsExactly(name(T0));
      assertThat(s.spans().blocks().plainValues()).containsEntry(name(T0), 0L);
    }
    try (DefaultEmbeddedStorage s = open()) { // the dictionary is read back from disk
      assertThat(sorted(s.traceReader().getTrace(trace)))
          .usingRecursiveFieldByFieldElementComparator()
          .isEqualTo(sorted(spans));
      assertThat(s.traceReader().getTrace(late)).singleElement()
          .extracting(Span::name).isEqualTo("GET /users/{id}");
      assertThat(s.spanSearch().search(TraceQuery.builder().serviceName("users").build()))
          .extracting(TraceSummary::traceId).containsExactlyInAnyOrder(trace, late);
    }
  }

  @Test
  void rewrite_stoppedByAWriteLeavesTheRestPlain_andBothEncodingsRead() throws Exception {
    String trace = TestSpans.randomHex(32);
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      spans.add(span(trace, TestSpans.randomHex(16), "", "svc" + i % 3, T0));
    }
    try (DefaultEmbeddedStorage s = open()) {
      s.spanConsumer().accept(spans).join();
      SpanBlock b = s.spans().blocks().newestFirst().get(0);
      var checks = new AtomicInteger();
      // Undisturbed for the first batch only.
      assertThat(s.spans().blocks().rewrite(b, () -> checks.incrementAndGet() == 1)).isEqualTo(-1);
      assertThat(s.spans().blocks().plainValues()).containsEntry(name(T0), 1500L);
      assertThat(sorted(s.traceReader().getTrace(trace)))
          .usingRecursiveFieldByFieldElementComparator().isEqualTo(sorted(spans));

      assertThat(s.spans().blocks().rewrite(b, () -> true)).isEqualTo(1500);
      assertThat(s.spans().blocks().plainValues()).containsEntry(name(T0), 0L);
      assertThat(sorted(s.traceReader().getTrace(trace)))
          .usingRecursiveFieldByFieldElementComparator().isEqualTo(sorted(spans));
    }
  }

  private static List<Span> sorted(List<Span> spans) {
    return spans.stream().sorted(Comparator.comparing(Span::spanId)).toList();
  }
}
