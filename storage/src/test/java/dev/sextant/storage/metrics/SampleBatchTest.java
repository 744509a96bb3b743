package dev.sextant.storage.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.storage.embedded.EmbeddedMetricStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link MetricWriter#append(SampleBatch)} in the real embedded store (RocksDB in temp dirs). */
class SampleBatchTest {
  @TempDir
  Path dir;

  private static final Labels A = Labels.of(Labels.NAME, "a", "job", "x");
  private static final Labels B = Labels.of(Labels.NAME, "b", "job", "x");

  @Test
  void append_storesWhatTheSameOneSampleSeriesStore() {
    SeriesRef a = new SeriesRef(A);
    SeriesRef b = new SeriesRef(B);
    List<SampleBatch> batches = new ArrayList<>();
    SampleBatch first = new SampleBatch(1); // grows
    first.add(a, 1000, 1);
    first.add(b, 1000, Double.NaN);
    first.add(a, 1000, 2); // duplicate: the first wins
    first.add(a, 2000, 3);
    first.add(a, 1500, 4); // out of order
    batches.add(first);
    SampleBatch second = new SampleBatch(4);
    second.add(a, 3000, 5);
    second.add(b, 3000, StaleMarker.VALUE);
    batches.add(second);

    try (MetricStore byRef = EmbeddedMetricStore.open(dir.resolve("batch"));
         MetricStore byList = EmbeddedMetricStore.open(dir.resolve("list"))) {
      for (SampleBatch batch : batches) {
        assertThat(byRef.append(batch).join().allAccepted()).isTrue();
        assertThat(byList.append(batch.toTimeSeries()).join().allAccepted()).isTrue();
      }
      assertThat(dump(byRef)).isEqualTo(dump(byList)).contains(
          "a{job=\"x\"} 1000=1.0 2000=3.0 3000=5.0",
          "b{job=\"x\"} 1000=" + Double.doubleToRawLongBits(Double.NaN) + "b 3000="
              + StaleMarker.BITS + "b");
      assertThat(byRef.duplicateSamples()).isEqualTo(byList.duplicateSamples()).isEqualTo(1);
      assertThat(byRef.outOfOrderSamples()).isEqualTo(byList.outOfOrderSamples()).isEqualTo(1);
    }
    // Durable like any write: read back after a restart.
    try (MetricStore reopened = EmbeddedMetricStore.open(dir.resolve("batch"))) {
      assertThat(dump(reopened)).contains("a{job=\"x\"} 1000=1.0 2000=3.0 3000=5.0");
    }
  }

  @Test
  void append_keepsTheStoresReferenceAndAppendsByItAfterwards() {
    SeriesRef a = new SeriesRef(A);
    try (MetricStore store = EmbeddedMetricStore.open(dir)) {
      assertThat(a.storeRef()).isNull();
      store.append(batch(a, 1000, 1)).join();
      Object ref = a.storeRef();
      assertThat(ref).isNotNull();
      store.append(batch(a, 2000, 2)).join();
      assertThat(a.storeRef()).isSameAs(ref);
      // Another reference to the same labels is the same series.
      store.append(batch(new SeriesRef(Labels.of("job", "x", Labels.NAME, "a")), 3000, 3)).join();
      assertThat(store.seriesCount()).isEqualTo(1);
      assertThat(dump(store)).containsExactly("a{job=\"x\"} 1000=1.0 2000=2.0 3000=3.0");
    }
  }

  @Test
  void append_referenceToASeriesDroppedByRetentionFallsBackToTheLabels() {
    SeriesRef a = new SeriesRef(A);
    try (MetricStore store = EmbeddedMetricStore.open(dir)) {
      store.append(batch(a, 1000, 1)).join();
      Object dropped = a.storeRef();
      store.deleteBefore(1_000_000);
      assertThat(store.seriesCount()).isZero();

      store.append(batch(a, 2_000_000, 2)).join();
      assertThat(store.seriesCount()).isEqualTo(1);
      assertThat(a.storeRef()).isNotNull().isNotSameAs(dropped);
      assertThat(dump(store)).containsExactly("a{job=\"x\"} 2000000=2.0");
    }
  }

  @Test
  void append_referenceOfAnotherStoreIsLookedUpByTheLabels() {
    SeriesRef a = new SeriesRef(A);
    try (MetricStore one = EmbeddedMetricStore.open(dir.resolve("one"));
         MetricStore two = EmbeddedMetricStore.open(dir.resolve("two"))) {
      one.append(batch(a, 1000, 1)).join();
      two.append(batch(a, 2000, 2)).join();
      one.append(batch(a, 3000, 3)).join();
      assertThat(dump(one)).containsExactly("a{job=\"x\"} 1000=1.0 3000=3.0");
      assertThat(dump(two)).containsExactly("a{job=\"x\"} 2000=2.0");
    }
  }

  @Test
  void append_reportsSeriesRefusedByTheLimitsAsAListDoes() {
    SeriesLimits limits = new SeriesLimits("t", 1, 0, 0, 0, 0);
    try (MetricStore store = EmbeddedMetricStore.builder(dir).limits(limits).build()) {
      SeriesRef a = new SeriesRef(A);
      SeriesRef b = new SeriesRef(B);
      SampleBatch batch = new SampleBatch(2);
      batch.add(a, 1000, 1);
      batch.add(b, 1000, 2);
      AppendResult r = store.append(batch).join();
      assertThat(r.refusedSeries()).isEqualTo(1);
      assertThat(r.refusedSamples()).isEqualTo(1);
      assertThat(r.refusedMetrics()).containsExactly("b");
      assertThat(b.storeRef()).isNull();
      assertThat(dump(store)).containsExactly("a{job=\"x\"} 1000=1.0");
    }
  }

  @Test
  void seriesRef_refusesEmptyLabels() {
    assertThatThrownBy(() -> new SeriesRef(Labels.EMPTY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("labels: empty (expected: at least one label with a non-empty value)");
    assertThatThrownBy(() -> new SampleBatch(0).ref(0))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  private static SampleBatch batch(SeriesRef ref, long time, double value) {
    SampleBatch b = new SampleBatch(1);
    b.add(ref, time, value);
    return b;
  }

  /** Each series as {@code labels t=v ...}; NaN values as their raw bits with a {@code b}. */
  private static List<String> dump(MetricStore store) {
    List<String> out = new ArrayList<>();
    for (Series s : store.select(List.of(LabelMatcher.eq("job", "x")), 0, Long.MAX_VALUE)) {
      StringBuilder sb = new StringBuilder(s.labels().toString());
      SampleIterator it = s.samples();
      while (it.next()) {
        double v = it.value();
        sb.append(' ').append(it.timestamp()).append('=')
            .append(Double.isNaN(v) ? Double.doubleToRawLongBits(v) + "b" : String.valueOf(v));
      }
      out.add(sb.toString());
    }
    return out;
  }
}
