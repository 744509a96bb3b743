package dev.sextant.storage.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.rocksdb.RocksIterator;

/** The write-group WAL: its record format, truncation and replay. */
class MetricWalTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final long HOUR = 3_600_000L;
  private static final Labels A = Labels.of("__name__", "a", "job", "x");

  @TempDir
  Path dir;

  @Test
  void read_givesBackWhatWasAdded() {
    WalRecord r = new WalRecord();
    long[][] in = {{1, T0, 5}, {300_000, T0, Double.doubleToRawLongBits(StaleMarker.VALUE)},
        {7, T0 - 20_000, -1}, {Long.MAX_VALUE / 2, Long.MIN_VALUE + 1, 0}, {2, T0 + 1, 9}};
    for (long[] s : in) {
      r.add(s[0], s[1], s[2]);
    }
    List<long[]> out = new ArrayList<>();
    WalRecord.read(r.toBytes(), (id, t, bits) -> out.add(new long[] {id, t, bits}));
    assertThat(out).containsExactly(in);
    r.reset();
    assertThat(r.count()).isZero();
    assertThatThrownBy(() -> WalRecord.read(new byte[] {9}, (id, t, b) -> { }))
        .hasMessageContaining("version 9");
  }

  @Test
  void flushHeads_leavesNoWalRecordAndReopensWithEverySample() {
    try (TsdbStore store = open()) {
      for (int i = 0; i < 40; i++) {
        store.write(List.of(TimeSeries.of(A, T0 + i * 15_000L, i))).join();
      }
      store.flushHeads();
    }
    try (MetricDb db = MetricDb.open(dir, 2 * HOUR);
         RocksIterator wal = db.db.newIterator(db.wal)) {
      wal.seekToFirst();
      assertThat(wal.isValid()).as("WAL records left").isFalse();
    }
    try (TsdbStore store = open()) {
      assertThat(values(store)).hasSize(40).endsWith(39.0);
      store.write(List.of(TimeSeries.of(A, T0 + 40 * 15_000L, 40))).join();
    }
    try (TsdbStore store = open()) {
      assertThat(values(store)).hasSize(41).endsWith(40.0);
    }
  }

  @Test
  void open_replaysHeadSamplesFromTheWal() {
    try (TsdbStore store = open()) {
      for (int i = 0; i < 21; i++) { // one chunk of 16 written, 5 in the head
        store.write(List.of(TimeSeries.of(A, T0 + i * 15_000L, i))).join();
      }
    }
    try (TsdbStore store = open()) {
      assertThat(store.headSamples()).isEqualTo(5);
      assertThat(values(store)).hasSize(21).endsWith(20.0);
    }
  }

  private TsdbStore open() {
    return TsdbStore.open(dir, 16, 2 * HOUR, 1 << 20, true);
  }

  private static List<Double> values(TsdbStore store) {
    List<Double> out = new ArrayList<>();
    for (Series s : store.select(List.of(LabelMatcher.eq("__name__", "a")), Long.MIN_VALUE,
        Long.MAX_VALUE)) {
      SampleIterator it = s.samples();
      while (it.next()) {
        out.add(it.value());
      }
    }
    return out;
  }
}
