package dev.sextant.storage.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.SampleIterator;
import dev.sextant.storage.metrics.Series;
import dev.sextant.storage.metrics.TimeSeries;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksIterator;

class TsdbStoreTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final long HOUR = 3_600_000L;
  private static final Labels A = Labels.of("__name__", "a");
  private static final Labels B = Labels.of("__name__", "b");

  @TempDir
  Path dir;

  @Test
  void flushHeads_movesEverySampleToChunksAndLeavesNoWalRecord() {
    try (TsdbStore store = open()) {
      write(store, A, T0, 50);
      write(store, B, T0, 3);
      assertThat(store.headSamples()).isEqualTo(50 % 16 + 3);
      store.flushHeads();
      assertThat(store.headSamples()).isZero();
      assertThat(count(store, A)).isEqualTo(50);
    }
    try (MetricDb db = MetricDb.open(dir, 2 * HOUR);
         RocksIterator wal = db.db.newIterator(db.wal)) {
      wal.seekToFirst();
      assertThat(wal.isValid()).as("WAL records left").isFalse();
      int n = 0;
      for (ColumnFamilyHandle h : db.chunks(Long.MIN_VALUE, Long.MAX_VALUE)) {
        try (RocksIterator chunks = db.db.newIterator(h)) {
          for (chunks.seekToFirst(); chunks.isValid(); chunks.next()) {
            n++;
          }
        }
      }
      assertThat(n).isEqualTo(4 + 1);
    }
    try (TsdbStore store = open()) {
      assertThat(count(store, A)).isEqualTo(50);
      assertThat(count(store, B)).isEqualTo(3);
    }
  }

  @Test
  void cutIdleHeads_cutsOnlySeriesSilentForAChunkSpan() {
    try (TsdbStore store = open()) {
      write(store, A, T0, 5);
      write(store, B, T0, 3);
      store.write(List.of(TimeSeries.of(B, T0 + 3 * HOUR, 1))).join();
      store.cutIdleHeads();
      // A went silent for over 2 h and is cut; B's newest sample starts a fresh head.
      assertThat(store.headSamples()).isEqualTo(1);
      assertThat(count(store, A)).isEqualTo(5);
      assertThat(count(store, B)).isEqualTo(4);
    }
  }

  private TsdbStore open() {
    return TsdbStore.open(dir, 16, 2 * HOUR, 1 << 20, true);
  }

  private static void write(TsdbStore store, Labels labels, long from, int n) {
    long[] t = new long[n];
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      t[i] = from + i * 15_000L;
      v[i] = i;
    }
    store.write(List.of(new TimeSeries(labels, t, v))).join();
  }

  private static int count(TsdbStore store, Labels labels) {
    List<Series> found = store.select(List.of(LabelMatcher.eq("__name__", labels.metricName())),
        Long.MIN_VALUE, Long.MAX_VALUE);
    int n = 0;
    for (Series s : found) {
      SampleIterator it = s.samples();
      while (it.next()) {
        n++;
      }
    }
    return n;
  }
}
