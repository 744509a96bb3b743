package dev.sextant.storage.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.SampleIterator;
import dev.sextant.storage.metrics.Series;
import dev.sextant.storage.metrics.StaleMarker;
import dev.sextant.storage.metrics.TimeSeries;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The select read path over chunks in memory (head, pending, recent written ones, with seek
 * marks) and chunks in RocksDB: the same samples whichever holds them, at and around chunk
 * boundaries.
 */
class TsdbReadPathTest {
  /** Aligned to the 2 h blocks. */
  private static final long T0 = 1_700_006_400_000L;
  private static final long HOUR = 3_600_000L;
  private static final long STEP = 15_000L;
  private static final int CHUNK = 40;
  private static final Labels A = Labels.of("__name__", "a");
  private static final Labels B = Labels.of("__name__", "b");

  @TempDir
  Path dir;

  @Test
  void select_sameSamplesFromMemoryAndFromRocksDb() {
    int n = 400; // 10 chunks of 40 (4 recent kept), samples also in the head after more writes
    long[] ts = new long[n];
    double[] vs = new double[n];
    for (int i = 0; i < n; i++) {
      ts[i] = T0 + i * STEP + (i % 7 == 0 ? 3 : 0);
      vs[i] = i % 50 == 49 ? StaleMarker.VALUE : i % 3 == 0 ? i * 1.5 : i + 0.1 * (i % 11);
    }
    List<long[]> windows = windows(ts);
    List<List<String>> fromMemory = new ArrayList<>();
    try (TsdbStore store = open()) {
      store.write(List.of(new TimeSeries(A, ts, vs))).join();
      for (long[] w : windows) {
        List<String> got = readBits(store, w[0], w[1]);
        assertThat(got).as("[%d, %d]", w[0] - T0, w[1] - T0)
            .isEqualTo(expected(ts, vs, w[0], w[1]));
        fromMemory.add(got);
      }
    }
    // Reopened, only the head comes back (from the WAL): older windows read RocksDB.
    try (TsdbStore store = open()) {
      for (int i = 0; i < windows.size(); i++) {
        long[] w = windows.get(i);
        assertThat(readBits(store, w[0], w[1])).as("[%d, %d]", w[0] - T0, w[1] - T0)
            .isEqualTo(fromMemory.get(i));
      }
    }
  }

  @Test
  void select_seriesWithNoSampleInWindowIsLeftOut() {
    try (TsdbStore store = TsdbStore.open(dir, 120, 2 * HOUR, 1 << 20, false)) {
      // One head chunk with a 30 min gap; the window inside the gap meets the chunk's bounds.
      store.write(List.of(new TimeSeries(A, new long[] {T0, T0 + 60_000, T0 + 31 * 60_000},
          new double[] {1, 2, 3}))).join();
      assertThat(store.select(List.of(LabelMatcher.eq("__name__", "a")), T0 + 120_000,
          T0 + 30 * 60_000)).isEmpty();
      List<Series> found = store.select(List.of(LabelMatcher.eq("__name__", "a")), T0 + 1,
          T0 + 30 * 60_000);
      assertThat(found).hasSize(1);
      // Read twice: the decoding the select did for its check serves the first read only.
      for (int i = 0; i < 2; i++) {
        assertThat(samples(found.get(0))).containsExactly((T0 + 60_000) + "=2.0");
      }
    }
  }

  @Test
  void select_outOfOrderSamplesAreNotRead() {
    try (TsdbStore store = open()) {
      write(store, A, T0, 100);
      store.write(List.of(new TimeSeries(A, new long[] {T0 + 5 * STEP + 1, T0 + 100 * STEP},
          new double[] {-1, 100}))).join();
      assertThat(store.outOfOrderSamples()).isEqualTo(1);
      List<String> got = read(store, T0 + 4 * STEP, T0 + 6 * STEP);
      assertThat(got).containsExactly((T0 + 4 * STEP) + "=4.0", (T0 + 5 * STEP) + "=5.0",
          (T0 + 6 * STEP) + "=6.0");
      assertThat(read(store, T0 + 99 * STEP, T0 + 200 * STEP)).containsExactly(
          (T0 + 99 * STEP) + "=99.0", (T0 + 100 * STEP) + "=100.0");
    }
  }

  @Test
  void deleteBefore_dropsRecentChunksOfDroppedBlocks() {
    try (TsdbStore store = open()) {
      // 90 min to 150 min after T0: recent chunks in the first block, the head in the second.
      write(store, A, T0 + 90 * 60_000, 241);
      write(store, B, T0 + 3 * HOUR, 1);
      store.deleteBefore(T0 + 2 * HOUR);
      List<String> got = read(store, T0, T0 + 3 * HOUR);
      assertThat(got).hasSize(121);
      assertThat(got.get(0)).isEqualTo((T0 + 2 * HOUR) + "=120.0");
    }
  }

  @Test
  void cutIdleHeads_keepsIdleSeriesReadableFromRocksDb() {
    try (TsdbStore store = open()) {
      write(store, A, T0, 100);
      write(store, B, T0 + 4 * HOUR, 1);
      store.cutIdleHeads();
      assertThat(read(store, T0 + 50 * STEP, T0 + 52 * STEP)).containsExactly(
          (T0 + 50 * STEP) + "=50.0", (T0 + 51 * STEP) + "=51.0", (T0 + 52 * STEP) + "=52.0");
      assertThat(read(store, T0, T0 + HOUR)).hasSize(100);
    }
  }

  @Test
  void written_keepsTheNewestChunksCoveringTheRecentHour() {
    MemSeries s = new MemSeries(1, A);
    long step = 60_000; // chunks of 40 min
    for (int i = 0; i < 400; i++) {
      MemSeries.Cut cut = s.append(T0 + i * step, Double.doubleToRawLongBits(i), 1, CHUNK,
          2 * HOUR, 100 * HOUR);
      if (cut != null) {
        s.written(cut.minTime());
      }
    }
    List<Chunk> chunks = s.snapshot();
    // Trimmed when a chunk is written: at the last cut (sample 360), the written chunks ending
    // within an hour of it (280..319, 320..359), then the head.
    assertThat(chunks).extracting(c -> (c.minTime() - T0) / step).containsExactly(280L, 320L,
        360L);
    s.dropRecent();
    assertThat(s.snapshot()).hasSize(1);

    MemSeries fast = new MemSeries(2, B);
    for (int i = 0; i < 400; i++) {
      MemSeries.Cut cut = fast.append(T0 + i * 1000L, Double.doubleToRawLongBits(i), 1, CHUNK,
          2 * HOUR, 100 * HOUR);
      if (cut != null) {
        fast.written(cut.minTime());
      }
    }
    // 1 s samples: the last hour is all of it, but at most MAX_RECENT written chunks stay.
    assertThat(fast.snapshot()).hasSize(MemSeries.MAX_RECENT + 1);
    fast.dropRecentBefore(T0 + 300 * 1000L);
    assertThat(fast.snapshot().get(0).minTime()).isEqualTo(T0 + 320 * 1000L);
  }

  @Test
  void select_inLabelOrderAsSeriesComeAndGo() {
    try (TsdbStore store = open()) {
      // Created in reverse label order: id order is not label order.
      for (String v : List.of("d", "c", "a")) {
        write(store, Labels.of("__name__", "m", "k", v), T0, 3);
      }
      assertThat(keys(store)).containsExactly("a", "c", "d");
      assertThat(keys(store)).containsExactly("a", "c", "d"); // the remembered order
      write(store, Labels.of("__name__", "m", "k", "b"), T0, 3);
      assertThat(keys(store)).containsExactly("a", "b", "c", "d");
      write(store, Labels.of("__name__", "m", "k", "e"), T0 + 5 * HOUR, 3);
      store.deleteBefore(T0 + 4 * HOUR);
      assertThat(keys(store)).containsExactly("e");
    }
  }

  private static List<String> keys(TsdbStore store) {
    List<String> out = new ArrayList<>();
    for (Series s : store.select(List.of(LabelMatcher.eq("__name__", "m")), Long.MIN_VALUE,
        Long.MAX_VALUE)) {
      out.add(s.labels().get("k"));
    }
    return out;
  }

  /** Windows at, just before and just after every chunk boundary, and a few wider ones. */
  private static List<long[]> windows(long[] ts) {
    List<long[]> out = new ArrayList<>();
    for (int c = 0; c < ts.length; c += CHUNK) {
      long first = ts[c];
      long last = ts[Math.min(ts.length - 1, c + CHUNK - 1)];
      for (long d : new long[] {-1, 0, 1}) {
        out.add(new long[] {first + d, first + d + 5 * 60_000});
        out.add(new long[] {last + d - 5 * 60_000, last + d});
        out.add(new long[] {first + d, last + d});
      }
      out.add(new long[] {first + 1, first + 2}); // between two samples
    }
    out.add(new long[] {ts[0] - HOUR, ts[ts.length - 1] + HOUR});
    out.add(new long[] {ts[ts.length - 1] + 1, ts[ts.length - 1] + HOUR});
    return out;
  }

  private static List<String> expected(long[] ts, double[] vs, long min, long max) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < ts.length; i++) {
      if (ts[i] >= min && ts[i] <= max) {
        out.add(ts[i] + "=" + Double.doubleToRawLongBits(vs[i]));
      }
    }
    return out;
  }

  private TsdbStore open() {
    return TsdbStore.open(dir, CHUNK, 2 * HOUR, 1 << 20, false);
  }

  private static void write(TsdbStore store, Labels labels, long from, int n) {
    long[] t = new long[n];
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = from + i * STEP;
      v[i] = i;
    }
    store.write(List.of(new TimeSeries(labels, t, v))).join();
  }

  /** Series a's samples in [min, max] as time=raw bits (exact, stale markers included). */
  private static List<String> readBits(TsdbStore store, long min, long max) {
    List<String> out = new ArrayList<>();
    for (Series s : store.select(List.of(LabelMatcher.eq("__name__", "a")), min, max)) {
      SampleIterator it = s.samples();
      while (it.next()) {
        out.add(it.timestamp() + "=" + Double.doubleToRawLongBits(it.value()));
      }
    }
    return out;
  }

  /** Series a's samples in [min, max] as time=value. */
  private static List<String> read(TsdbStore store, long min, long max) {
    List<String> out = new ArrayList<>();
    for (Series s : store.select(List.of(LabelMatcher.eq("__name__", "a")), min, max)) {
      out.addAll(samples(s));
    }
    return out;
  }

  private static List<String> samples(Series s) {
    List<String> out = new ArrayList<>();
    SampleIterator it = s.samples();
    while (it.next()) {
      out.add(it.timestamp() + "=" + it.value());
    }
    return out;
  }
}
