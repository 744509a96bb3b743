package dev.sextant.storage.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.internal.kv.BlockFamilies;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.SampleIterator;
import dev.sextant.storage.metrics.Series;
import dev.sextant.storage.metrics.TimeSeries;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsdbBlocksTest {
  private static final long MINUTE = 60_000;
  private static final long T0 = 1_700_000_040_000L; // a minute boundary
  private static final Labels A = Labels.of("__name__", "a");
  private static final Labels LATE = Labels.of("__name__", "late");

  @TempDir
  Path dir;

  private TsdbStore open() {
    return TsdbStore.open(dir, 120, 2 * 60 * MINUTE, 1 << 20, true, MINUTE);
  }

  /** Samples every 15 s from {@code from} (inclusive) to {@code to} (exclusive). */
  private static void write(TsdbStore store, Labels labels, long from, long to) {
    for (long t = from; t < to; t += 15_000) {
      store.write(List.of(TimeSeries.of(labels, t, t))).join();
    }
  }

  private static List<Long> times(TsdbStore store, Labels labels, long min, long max) {
    List<Long> out = new ArrayList<>();
    for (Series s : store.select(List.of(LabelMatcher.eq("__name__",
        labels.get("__name__"))), min, max)) {
      SampleIterator it = s.samples();
      while (it.next()) {
        out.add(it.timestamp());
      }
    }
    return out;
  }

  @Test
  void chunksAreCutAtBlockBoundaries_andRetentionDropsWholeBlocks() {
    try (TsdbStore store = open()) {
      write(store, A, T0, T0 + 3 * MINUTE);
      store.flushHeads();
      assertThat(store.blocks().get(0)).containsExactly(
          T0 + "+60000", (T0 + MINUTE) + "+60000", (T0 + 2 * MINUTE) + "+60000");
      store.deleteBefore(T0 + MINUTE + 30_000); // inside the second block: it stays whole
      assertThat(times(store, A, 0, Long.MAX_VALUE)).hasSize(8)
          .startsWith(T0 + MINUTE).endsWith(T0 + 3 * MINUTE - 15_000);
      assertThat(times(store, A, T0 + 2 * MINUTE, T0 + 2 * MINUTE + 15_000))
          .containsExactly(T0 + 2 * MINUTE, T0 + 2 * MINUTE + 15_000);
    }
    assertThat(BlockFamilies.existing(dir)).doesNotContain(MetricDb.PREFIX + T0 + "+60000")
        .contains(MetricDb.PREFIX + (T0 + MINUTE) + "+60000");
    try (TsdbStore store = open()) { // blocks reopen
      assertThat(store.blocks().get(0)).hasSize(2);
      assertThat(times(store, A, 0, Long.MAX_VALUE)).hasSize(8);
    }
  }

  @Test
  void seal_compactsEndedBlocks_andALateChunkUnsealsItsBlockUntilTheNextPass() {
    try (TsdbStore store = open()) {
      write(store, A, T0, T0 + 2 * MINUTE);
      store.flushHeads();
      store.seal(T0 + MINUTE);
      assertThat(store.blocks().get(1)).containsExactly(T0 + "+60000");
      // A series first seen now, with samples from the sealed block: kept and readable.
      write(store, LATE, T0, T0 + 30_000);
      store.flushHeads();
      assertThat(store.blocks().get(1)).isEmpty();
      assertThat(times(store, LATE, 0, Long.MAX_VALUE)).containsExactly(T0, T0 + 15_000);
      store.seal(T0 + MINUTE);
      assertThat(store.blocks().get(1)).containsExactly(T0 + "+60000");
    }
    try (TsdbStore store = open()) {
      assertThat(store.blocks().get(1)).containsExactly(T0 + "+60000");
      assertThat(times(store, LATE, 0, Long.MAX_VALUE)).containsExactly(T0, T0 + 15_000);
      assertThat(times(store, A, 0, Long.MAX_VALUE)).hasSize(8);
    }
  }
}
