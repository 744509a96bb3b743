package dev.sextant.storage.internal.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.Attributes;
import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogRecord;
import dev.sextant.storage.internal.kv.BlockFamilies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogBlocksTest {
  private static final long MINUTE = 60_000;
  private static final long MS = 1_000_000L;
  private static final long T0 = 1_700_000_040_000L; // a minute boundary

  @TempDir
  Path dir;

  LogStore store;

  @AfterEach
  void tearDown() {
    if (store != null) {
      store.close();
    }
  }

  private LogStore open() {
    store = LogStore.open(dir, 1 << 20, 5_000, MINUTE);
    return store;
  }

  private static LogRecord line(long timeMillis, String body) {
    return LogStoreTest.log(timeMillis * MS, 9, "svc", body, "", "", "", Attributes.of());
  }

  private List<String> bodies(LogQuery q) {
    return store.search(q).records().stream().map(LogRecord::body).toList();
  }

  private static String name(long startMillis) {
    return startMillis + "+" + MINUTE;
  }

  @Test
  void dropBlocksBefore_dropsWholeBlocks() {
    open().accept(List.of(line(T0, "one"), line(T0 + 30_000, "two"), line(T0 + MINUTE, "three")))
        .join();
    assertThat(store.dropBlocksBefore(T0 + MINUTE + 30_000)).isEqualTo(1);
    assertThat(Files.exists(dir.resolve("index").resolve(name(T0)))).isFalse();
    assertThat(bodies(LogQuery.builder().build())).containsExactly("three");
    store.close();
    assertThat(BlockFamilies.existing(dir.resolve("rocks")))
        .doesNotContain(LogDb.PREFIX + name(T0)).contains(LogDb.PREFIX + name(T0 + MINUTE));
    open();
    assertThat(bodies(LogQuery.builder().build())).containsExactly("three");
  }

  @Test
  void search_readsOnlyBlocksInItsTimeRange_andPagesAcrossBlocks() {
    open().accept(List.of(line(T0, "a"), line(T0 + MINUTE, "b"), line(T0 + 2 * MINUTE, "c")))
        .join();
    assertThat(bodies(LogQuery.builder().timeRange((T0 + 2 * MINUTE) * MS,
        (T0 + 3 * MINUTE) * MS).build())).containsExactly("c");
    assertThat(store.blockSearches()).containsEntry(name(T0), 0L)
        .containsEntry(name(T0 + MINUTE), 0L).containsEntry(name(T0 + 2 * MINUTE), 1L);
    var first = store.search(LogQuery.builder().limit(2).build());
    assertThat(first.records()).extracting(LogRecord::body).containsExactly("c", "b");
    assertThat(store.search(LogQuery.builder().limit(2).cursor(first.nextCursor()).build())
        .records()).extracting(LogRecord::body).containsExactly("a");
  }

  @Test
  void seal_compactsEndedBlocks_andALateRecordStaysSearchable() {
    open().accept(List.of(line(T0, "early"))).join();
    assertThat(store.seal(T0 + MINUTE + 999, 1000)).isZero(); // in its grace period
    assertThat(store.seal(T0 + MINUTE + 1000, 1000)).isEqualTo(1);
    assertThat(store.blockSearches()).containsKey(name(T0) + " sealed");
    store.accept(List.of(line(T0 + 10, "late"))).join();
    assertThat(store.blockSearches()).containsKey(name(T0));
    assertThat(bodies(LogQuery.builder().text("late").build())).containsExactly("late");
    assertThat(store.seal(T0 + 2 * MINUTE, 1000)).isEqualTo(1);
    store.close();
    open();
    assertThat(store.blockSearches()).containsKey(name(T0) + " sealed");
    assertThat(bodies(LogQuery.builder().build())).containsExactly("late", "early");
  }
}
