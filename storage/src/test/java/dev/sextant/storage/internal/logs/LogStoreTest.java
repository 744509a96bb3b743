package dev.sextant.storage.internal.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.storage.Attributes;
import dev.sextant.storage.LogPage;
import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogQueryBuilder;
import dev.sextant.storage.LogRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogStoreTest {
  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String SPAN = "00f067aa0ba902b7";

  @TempDir
  Path dir;
  LogStore store;

  @BeforeEach
  void setUp() {
    store = LogStore.open(dir, 1 << 20);
    store.accept(List.of(
        log(1000, 9, "checkout", "User alice logged in", "", "", "", Attributes.of()),
        log(2000, 17, "checkout", "Payment FAILED: card declined", TRACE, SPAN, "corr-1",
            Attributes.of("http.status_code", 402L, "user", "alice")),
        log(3000, 13, "cart", "cart updated for alice", TRACE, "1111111111111111", "corr-1",
            Attributes.of("user", "alice")),
        log(4000, 5, "cart", "cache miss for key cart:42", "", "", "corr-2",
            Attributes.of("cache.hit", false)))).join();
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  static LogRecord log(long time, int severity, String service, String body, String trace,
      String span, String corr, Map<String, Object> attrs) {
    return LogRecord.builder().timeUnixNano(time).observedTimeUnixNano(time + 1)
        .severityNumber(severity).severityText("S" + severity).body(body).traceId(trace)
        .spanId(span).correlationId(corr).serviceName(service).attributes(attrs)
        .resourceAttributes(Attributes.of("service.name", service, "host.name", "h1"))
        .scopeName("app").flags(1).droppedAttributesCount(2).build();
  }

  private List<Long> times(LogQueryBuilder q) {
    return store.search(q.build()).records().stream().map(LogRecord::timeUnixNano).toList();
  }

  @Test
  void search_everythingNewestFirst() {
    LogPage page = store.search(LogQuery.builder().build());
    assertThat(page.records()).extracting(LogRecord::timeUnixNano)
        .containsExactly(4000L, 3000L, 2000L, 1000L);
    assertThat(page.hasMore()).isFalse();
  }

  @Test
  void search_fullTextOnBody() {
    assertThat(times(LogQuery.builder().text("alice"))).containsExactly(3000L, 1000L);
    assertThat(times(LogQuery.builder().text("ALICE cart"))).containsExactly(3000L);
    assertThat(times(LogQuery.builder().text("failed"))).containsExactly(2000L);
    assertThat(times(LogQuery.builder().text("\"card declined\""))).containsExactly(2000L);
    assertThat(times(LogQuery.builder().text("\"declined card\""))).isEmpty();
    assertThat(times(LogQuery.builder().text("alice -cart"))).containsExactly(1000L);
    assertThat(times(LogQuery.builder().text("logg*"))).containsExactly(1000L);
    assertThat(times(LogQuery.builder().text("miss | payment"))).containsExactly(4000L, 2000L);
    assertThat(times(LogQuery.builder().text("nothing-like-this"))).isEmpty();
  }

  @Test
  void search_byEachFilter() {
    assertThat(times(LogQuery.builder().minSeverity(13))).containsExactly(3000L, 2000L);
    assertThat(times(LogQuery.builder().serviceName("cart"))).containsExactly(4000L, 3000L);
    assertThat(times(LogQuery.builder().traceId(TRACE.toUpperCase(Locale.ROOT)))).containsExactly(3000L, 2000L);
    assertThat(times(LogQuery.builder().spanId(SPAN))).containsExactly(2000L);
    assertThat(times(LogQuery.builder().correlationId("corr-1"))).containsExactly(3000L, 2000L);
    assertThat(times(LogQuery.builder().attribute("user", "alice"))).containsExactly(3000L, 2000L);
    assertThat(times(LogQuery.builder().attribute("http.status_code", "402")))
        .containsExactly(2000L);
    assertThat(times(LogQuery.builder().attribute("cache.hit", "false"))).containsExactly(4000L);
    assertThat(times(LogQuery.builder().attribute("host.name", "h1"))).hasSize(4);
    assertThat(times(LogQuery.builder().timeRange(2000, 4000))).containsExactly(3000L, 2000L);
  }

  @Test
  void search_combinedFilters() {
    assertThat(times(LogQuery.builder().text("alice").traceId(TRACE).serviceName("cart")
        .minSeverity(9).attribute("user", "alice").correlationId("corr-1")
        .timeRange(0, 10_000))).containsExactly(3000L);
    assertThat(times(LogQuery.builder().text("alice").minSeverity(17))).isEmpty();
  }

  @Test
  void search_returnsTheRecordAsWritten() {
    LogRecord r = store.search(LogQuery.builder().spanId(SPAN).build()).records().get(0);
    assertThat(r).usingRecursiveComparison().isEqualTo(log(2000, 17, "checkout",
        "Payment FAILED: card declined", TRACE, SPAN, "corr-1",
        Attributes.of("http.status_code", 402L, "user", "alice")));
  }

  @Test
  void search_ordersByObservedTimeWhenTimeIsZero() {
    store.accept(List.of(LogRecord.builder().observedTimeUnixNano(3500).body("no time").build()))
        .join();
    assertThat(store.search(LogQuery.builder().limit(3).build()).records())
        .extracting(LogRecord::body)
        .containsExactly("cache miss for key cart:42", "no time", "cart updated for alice");
  }

  @Test
  void search_cursorPagesAreStableUnderInserts() {
    List<LogRecord> batch = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      batch.add(log(10_000 + i, 9, "pager", "page record " + i, "", "", "", Attributes.of()));
    }
    store.accept(batch).join();
    LogPage p1 = store.search(LogQuery.builder().serviceName("pager").limit(3).build());
    assertThat(p1.records()).extracting(LogRecord::timeUnixNano)
        .containsExactly(10_007L, 10_006L, 10_005L);
    // Newer records arrive, and one older than the cursor: the next pages neither repeat nor skip.
    store.accept(List.of(log(20_000, 9, "pager", "newer", "", "", "", Attributes.of()),
        log(10_004, 9, "pager", "same nanosecond as an unread one", "", "", "", Attributes.of())))
        .join();
    LogPage p2 = store.search(LogQuery.builder().serviceName("pager").limit(3)
        .cursor(p1.nextCursor()).build());
    assertThat(p2.records()).extracting(LogRecord::body)
        .containsExactly("same nanosecond as an unread one", "page record 4", "page record 3");
    store.accept(List.of(log(30_000, 9, "pager", "newest", "", "", "", Attributes.of()))).join();
    LogPage p3 = store.search(LogQuery.builder().serviceName("pager").limit(3)
        .cursor(p2.nextCursor()).build());
    assertThat(p3.records()).extracting(LogRecord::timeUnixNano)
        .containsExactly(10_002L, 10_001L, 10_000L);
    assertThat(p3.hasMore()).isFalse();
  }

  @Test
  void accept_concurrentWritersAllSearchable() throws Exception {
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      threads.add(new Thread(() -> {
        for (int b = 0; b < 10; b++) {
          List<LogRecord> batch = new ArrayList<>();
          for (int i = 0; i < 5; i++) {
            batch.add(log(100_000 + thread * 1000 + b * 10 + i, 9, "conc", "c", "", "", "",
                Attributes.of()));
          }
          store.accept(batch).join();
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    assertThat(store.search(LogQuery.builder().serviceName("conc").limit(1000).build()).records())
        .hasSize(200);
    store.close();
    store = LogStore.open(dir, 1 << 20);
    assertThat(store.search(LogQuery.builder().serviceName("conc").limit(1000).build()).records())
        .hasSize(200);
  }

  @Test
  void search_invalidCursorNamesTheField() {
    assertThatThrownBy(() -> store.search(LogQuery.builder().cursor("!!").build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("cursor: !!");
  }

  @Test
  void accept_invalidIdsFailTheWholeCall() {
    assertThatThrownBy(() -> store.accept(List.of(
        log(5000, 9, "x", "ok", "", "", "", Attributes.of()),
        log(5001, 9, "x", "bad", "zz", "", "", Attributes.of()))).join())
        .isInstanceOf(CompletionException.class).hasRootCauseInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("traceId: zz");
    assertThat(times(LogQuery.builder().serviceName("x"))).isEmpty();
  }

  @Test
  void reopen_keepsEverythingSearchable() {
    store.close();
    store = LogStore.open(dir, 1 << 20);
    assertThat(times(LogQuery.builder().text("alice"))).containsExactly(3000L, 1000L);
    store.accept(List.of(log(5000, 9, "x", "after reopen", "", "", "", Attributes.of()))).join();
    assertThat(times(LogQuery.builder())).containsExactly(5000L, 4000L, 3000L, 2000L, 1000L);
  }

  @Test
  void reopen_rebuildsALostIndex() throws Exception {
    store.close();
    try (Stream<Path> files = Files.walk(dir.resolve("index"))) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    store = LogStore.open(dir, 1 << 20);
    assertThat(times(LogQuery.builder().correlationId("corr-1"))).containsExactly(3000L, 2000L);
    store.accept(List.of(log(5000, 9, "x", "after rebuild", "", "", "", Attributes.of()))).join();
    assertThat(times(LogQuery.builder())).containsExactly(5000L, 4000L, 3000L, 2000L, 1000L);
  }

  @Test
  void query_badInputNamesTheField() {
    assertThatThrownBy(() -> LogQuery.builder().minSeverity(25).build())
        .hasMessage("minSeverity: 25 (expected: 0-24)");
    assertThatThrownBy(() -> LogQuery.builder().limit(0).build())
        .hasMessage("limit: 0 (expected: 1-10000)");
    assertThatThrownBy(() -> LogQuery.builder().traceId("abc").build())
        .hasMessageStartingWith("traceId: abc");
    assertThatThrownBy(() -> LogRecord.builder().severityNumber(99).build())
        .hasMessage("severityNumber: 99 (expected: 0-24)");
  }
}
