package dev.sextant.storage.metrics;

import dev.sextant.storage.embedded.EmbeddedMetricStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.storage.StorageException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricStoreTest {
  private static final long T0 = 1_700_000_000_000L;
  private static final Labels UP_API = Labels.of("__name__", "up", "job", "api");
  private static final Labels UP_DB = Labels.of("__name__", "up", "job", "db", "env", "prod");

  @TempDir
  Path dir;
  private MetricStore store;

  @AfterEach
  void tearDown() {
    if (store != null) {
      store.close();
    }
  }

  private MetricStore open() {
    store = EmbeddedMetricStore.builder(dir).chunkSamples(10).build();
    return store;
  }

  @Test
  void select_mergesStoredChunksAndHead() {
    open();
    write(series(UP_API, 0, 35));
    // 35 samples with 10 per chunk: three stored chunks and a head of 5.
    assertThat(samples(UP_API, T0, T0 + 34 * 15_000L)).isEqualTo(expected(0, 35));
    assertThat(samples(UP_API, T0 + 5 * 15_000L, T0 + 25 * 15_000L)).isEqualTo(expected(5, 26));
    assertThat(samples(UP_API, T0 + 12 * 15_000L, T0 + 12 * 15_000L)).isEqualTo(expected(12, 13));
    assertThat(samples(UP_API, T0 + 29 * 15_000L, T0 + 31 * 15_000L)).isEqualTo(expected(29, 32));
    assertThat(samples(UP_API, T0 + 33 * 15_000L, Long.MAX_VALUE)).isEqualTo(expected(33, 35));
  }

  @Test
  void select_omitsSeriesWithoutSamplesInRange() {
    open();
    write(series(UP_API, 0, 25));
    assertThat(store.select(List.of(LabelMatcher.eq("job", "api")), T0 + 1, T0 + 14_999)).isEmpty();
    assertThat(store.select(List.of(LabelMatcher.eq("job", "api")), 0, T0 - 1)).isEmpty();
    assertThat(store.select(List.of(LabelMatcher.eq("job", "api")), T0 + 10, T0)).isEmpty();
  }

  @Test
  void select_sortedByLabelsAndFilteredByMatchers() {
    open();
    Labels b = Labels.of("__name__", "b_metric", "job", "api");
    write(series(UP_DB, 0, 3), series(b, 0, 3), series(UP_API, 0, 3));
    List<Series> all = store.select(List.of(), 0, Long.MAX_VALUE);
    // Labels compare pairwise (name, then value), as Prometheus sorts them: env < job.
    assertThat(all).extracting(Series::labels).containsExactly(b, UP_DB, UP_API);
    assertThat(store.select(List.of(LabelMatcher.re("__name__", "u."), LabelMatcher.eq("env", "")),
        0, Long.MAX_VALUE)).extracting(Series::labels).containsExactly(UP_API);
    assertThat(store.select(List.of(LabelMatcher.nre("job", "api")), 0, Long.MAX_VALUE))
        .extracting(Series::labels).containsExactly(UP_DB);
  }

  @Test
  void write_staleMarkerAndNaNRoundTripBitExact() {
    open();
    long weirdNaN = 0x7ff8_0000_0000_1234L;
    write(new TimeSeries(UP_API, new long[] {T0, T0 + 1, T0 + 2},
        new double[] {StaleMarker.VALUE, Double.longBitsToDouble(weirdNaN), Double.NaN}));
    SampleIterator it = store.select(List.of(LabelMatcher.eq("job", "api")), 0, Long.MAX_VALUE)
        .get(0).samples();
    assertThat(it.next()).isTrue();
    assertThat(StaleMarker.isStale(it.value())).isTrue();
    assertThat(it.next()).isTrue();
    assertThat(Double.doubleToRawLongBits(it.value())).isEqualTo(weirdNaN);
    assertThat(it.next()).isTrue();
    assertThat(Double.doubleToRawLongBits(it.value()))
        .isEqualTo(Double.doubleToRawLongBits(Double.NaN));
    assertThat(it.next()).isFalse();
  }

  @Test
  void write_dropsOutOfOrderAndKeepsFirstDuplicate() {
    open();
    write(new TimeSeries(UP_API, new long[] {T0, T0 + 10, T0 + 10, T0 + 5, T0 + 20},
        new double[] {1, 2, 99, 98, 3}));
    write(TimeSeries.of(UP_API, T0 + 15, 97));
    assertThat(store.outOfOrderSamples()).isEqualTo(2);
    assertThat(store.duplicateSamples()).isEqualTo(1);
    assertThat(samples(UP_API, 0, Long.MAX_VALUE))
        .containsExactly(List.of(T0, 1.0), List.of(T0 + 10, 2.0), List.of(T0 + 20, 3.0));
  }

  @Test
  void reopen_keepsSeriesChunksAndHead() {
    open();
    write(series(UP_API, 0, 25), series(UP_DB, 0, 7));
    store.close();
    open();
    assertThat(store.seriesCount()).isEqualTo(2);
    assertThat(samples(UP_API, 0, Long.MAX_VALUE)).isEqualTo(expected(0, 25));
    assertThat(samples(UP_DB, 0, Long.MAX_VALUE)).isEqualTo(expected(0, 7));
    // The newest timestamp survives too: an old sample is still out of order.
    write(series(UP_API, 3, 4), series(UP_API, 25, 40));
    assertThat(store.outOfOrderSamples()).isEqualTo(1);
    store.close();
    open();
    assertThat(samples(UP_API, 0, Long.MAX_VALUE)).isEqualTo(expected(0, 40));
    assertThat(store.labelValues("job", List.of(), 0, Long.MAX_VALUE)).containsExactly("api", "db");
  }

  @Test
  void labelNamesAndValues_filterByMatchersAndTime() {
    open();
    write(series(UP_API, 0, 5), series(UP_DB, 100, 105));
    assertThat(store.labelNames(List.of(), 0, Long.MAX_VALUE)).containsExactly("__name__", "env",
        "job");
    assertThat(store.labelNames(List.of(LabelMatcher.eq("job", "api")), 0, Long.MAX_VALUE))
        .containsExactly("__name__", "job");
    assertThat(store.labelNames(List.of(), T0 + 100 * 15_000L, Long.MAX_VALUE))
        .containsExactly("__name__", "env", "job");
    assertThat(store.labelValues("job", List.of(), 0, T0 + 10 * 15_000L)).containsExactly("api");
    assertThat(store.labelValues("env", List.of(), 0, Long.MAX_VALUE)).containsExactly("prod");
    assertThat(store.labelValues("job", List.of(LabelMatcher.re("env", ".+")), 0, Long.MAX_VALUE))
        .containsExactly("db");
    assertThat(store.labelValues("nope", List.of(), 0, Long.MAX_VALUE)).isEmpty();
  }

  @Test
  void deleteBefore_dropsWholeOldBlocksAndEmptySeries() {
    store = EmbeddedMetricStore.builder(dir).chunkSamples(10).blockDurationMillis(150_000).build();
    write(series(UP_API, 0, 35), series(UP_DB, 0, 5));
    store.deleteBefore(T0 + 15 * 15_000L);
    // T0 lies 50 s into a 150 s block: samples [0, 6] are in the first block, which ended before
    // the cut-off and goes whole; the next block [7, 16] straddles it and stays; UP_DB is gone.
    assertThat(samples(UP_API, 0, Long.MAX_VALUE)).isEqualTo(expected(7, 35));
    assertThat(store.seriesCount()).isEqualTo(1);
    assertThat(store.labelValues("job", List.of(), 0, Long.MAX_VALUE)).containsExactly("api");
    store.close();
    open();
    assertThat(store.seriesCount()).isEqualTo(1);
    assertThat(samples(UP_API, 0, Long.MAX_VALUE)).isEqualTo(expected(7, 35));
    write(series(UP_DB, 50, 52));
    assertThat(samples(UP_DB, 0, Long.MAX_VALUE)).isEqualTo(expected(50, 52));
  }

  @Test
  void write_concurrentWritersAllAcknowledgedAndReadable() throws Exception {
    open();
    List<CompletableFuture<Void>> acks = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      Labels l = Labels.of("__name__", "c", "w", Integer.toString(w));
      threads.add(new Thread(() -> {
        for (int i = 0; i < 50; i++) {
          CompletableFuture<Void> f = store.write(List.of(series(l, i, i + 1)));
          synchronized (acks) {
            acks.add(f);
          }
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0])).get();
    for (int w = 0; w < 4; w++) {
      Labels l = Labels.of("__name__", "c", "w", Integer.toString(w));
      assertThat(samples(l, 0, Long.MAX_VALUE)).isEqualTo(expected(0, 50));
    }
  }

  @Test
  void write_rejectsEmptyLabelsAndClosedStore() {
    open();
    CompletableFuture<Void> f = store.write(List.of(TimeSeries.of(Labels.EMPTY, T0, 1)));
    assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalArgumentException.class).hasMessageContaining("labels");
    store.close();
    assertThatThrownBy(() -> store.write(List.of(series(UP_API, 0, 1))).get())
        .hasCauseInstanceOf(StorageException.class);
    assertThatThrownBy(() -> store.select(List.of(), 0, 1)).isInstanceOf(StorageException.class);
  }

  @Test
  void builder_rejectsBadSettings() {
    assertThatThrownBy(() -> EmbeddedMetricStore.builder(dir).chunkSamples(0))
        .hasMessage("chunkSamples: 0 (expected: 1..65536)");
    assertThatThrownBy(() -> EmbeddedMetricStore.builder(dir).chunkSpanMillis(0))
        .hasMessageContaining("chunkSpanMillis: 0");
  }

  private void write(TimeSeries... series) {
    store.write(List.of(series)).join();
  }

  /** Samples i in [from, to): time T0 + 15 s * i, value i * 1.5. */
  static TimeSeries series(Labels labels, int from, int to) {
    long[] t = new long[to - from];
    double[] v = new double[to - from];
    for (int i = from; i < to; i++) {
      t[i - from] = T0 + i * 15_000L;
      v[i - from] = i * 1.5;
    }
    return new TimeSeries(labels, t, v);
  }

  private static List<List<Object>> expected(int from, int to) {
    List<List<Object>> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(List.of(T0 + i * 15_000L, i * 1.5));
    }
    return out;
  }

  private List<List<Object>> samples(Labels labels, long minT, long maxT) {
    List<LabelMatcher> m = new ArrayList<>();
    for (Label l : labels) {
      m.add(LabelMatcher.eq(l.name(), l.value()));
    }
    List<Series> found = store.select(m, minT, maxT);
    List<List<Object>> out = new ArrayList<>();
    for (Series s : found) {
      if (!s.labels().equals(labels)) {
        continue;
      }
      SampleIterator it = s.samples();
      while (it.next()) {
        out.add(List.of(it.timestamp(), it.value()));
      }
    }
    return out;
  }
}
