package dev.sextant.storage.metrics;

import dev.sextant.storage.embedded.EmbeddedMetricStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Limits on new series in the real embedded store (RocksDB in a temp dir). */
class SeriesLimitsTest {
  @TempDir
  Path dir;

  @Test
  void append_refusesNewSeriesAtTheLimitWhileExistingSeriesKeepFlowing() {
    SeriesLimits limits = new SeriesLimits("t", 100, 0, 1024, 2048, 30);
    try (MetricStore store = EmbeddedMetricStore.builder(dir).limits(limits).build()) {
      assertThat(store.append(series("a", 0, 100, 1000)).join().allAccepted()).isTrue();

      List<TimeSeries> next = new ArrayList<>(series("a", 0, 100, 2000)); // existing: accepted
      next.addAll(series("b", 0, 150, 2000)); // new: refused
      AppendResult r = store.append(next).join();

      assertThat(r.refusedSeries()).isEqualTo(150);
      assertThat(r.refusedSamples()).isEqualTo(150);
      assertThat(r.samplesByReason()).containsEntry("per_user_series_limit", 150L);
      assertThat(r.message()).isEqualTo("per-tenant series limit of 100 reached for tenant \"t\""
          + " (max_global_series_per_user)");
      assertThat(r.refusedMetrics()).containsExactly("b");
      assertThat(store.seriesCount()).isEqualTo(100);
      assertThat(samples(store, "a")).isEqualTo(200); // every existing series got its sample
      assertThat(samples(store, "b")).isZero();
    }
  }

  @Test
  void append_keepsTheSeriesCountAtTheLimitUnderAFloodOfNewSeries() {
    SeriesLimits limits = new SeriesLimits("t", 1000, 0, 0, 0, 0);
    try (MetricStore store = EmbeddedMetricStore.builder(dir).limits(limits).build()) {
      long refused = 0;
      for (int batch = 0; batch < 50; batch++) { // 50,000 distinct series offered
        refused += store.append(series("flood", batch * 1000, 1000, 1000 + batch)).join()
            .refusedSeries();
        assertThat(store.seriesCount()).isLessThanOrEqualTo(1000);
      }
      assertThat(store.seriesCount()).isEqualTo(1000);
      assertThat(refused).isEqualTo(49_000);
    }
    // Over the limit after a restart too (series read back count against it).
    try (MetricStore store = EmbeddedMetricStore.builder(dir).limits(limits).build()) {
      assertThat(store.append(series("more", 0, 10, 99_000)).join().refusedSeries())
          .isEqualTo(10);
      assertThat(store.seriesCount()).isEqualTo(1000);
    }
  }

  @Test
  void append_refusesNewSeriesOverThePerMetricLimit() {
    SeriesLimits limits = new SeriesLimits("t", 0, 10, 0, 0, 0);
    try (MetricStore store = EmbeddedMetricStore.builder(dir).limits(limits).build()) {
      AppendResult r = store.append(series("busy", 0, 15, 1000)).join();
      assertThat(r.refusedSeries()).isEqualTo(5);
      assertThat(r.message()).isEqualTo("per-metric series limit of 10 reached for metric"
          + " \"busy\" of tenant \"t\" (max_global_series_per_metric)");
      assertThat(r.samplesByReason()).containsOnlyKeys("per_metric_series_limit");
      // Another metric still gets its series.
      assertThat(store.append(series("quiet", 0, 5, 1000)).join().allAccepted()).isTrue();
      assertThat(store.seriesCount()).isEqualTo(15);
    }
  }

  @Test
  void append_refusesLabelsTooLongOrTooMany() {
    SeriesLimits limits = SeriesLimits.defaults("t");
    try (MetricStore store = EmbeddedMetricStore.builder(dir).limits(limits).build()) {
      TreeMap<String, String> many = new TreeMap<>();
      many.put(Labels.NAME, "wide");
      for (int i = 0; i < 30; i++) {
        many.put("l" + i, "v");
      }
      List<TimeSeries> bad = List.of(
          TimeSeries.of(Labels.of(Labels.NAME, "m", "k", "x".repeat(1 << 20)), 1000, 1),
          TimeSeries.of(Labels.of(Labels.NAME, "m", "n".repeat(1025), "v"), 1000, 1),
          TimeSeries.of(Labels.of(many), 1000, 1),
          TimeSeries.of(Labels.of(Labels.NAME, "m", "k", "x".repeat(2048)), 1000, 1));
      AppendResult r = store.append(bad).join();

      assertThat(r.refusedSeries()).isEqualTo(3);
      assertThat(r.samplesByReason()).containsEntry("label_value_too_long", 1L)
          .containsEntry("label_name_too_long", 1L)
          .containsEntry("max_label_names_per_series", 1L);
      assertThat(r.message()).isEqualTo("value of label \"k\" of metric \"m\" has 1048576"
          + " characters (expected: <= 2048) (max_label_value_length)");
      assertThat(store.seriesCount()).isEqualTo(1); // the 2048-character value is allowed
      String nameMsg = store.append(bad.subList(1, 2)).join().message();
      assertThat(nameMsg).contains("has 1025 characters (expected: <= 1024)",
          "(max_label_name_length)").hasSizeLessThan(300);
      assertThat(store.append(bad.subList(2, 3)).join().message())
          .isEqualTo("series of metric \"wide\" has 31 labels (expected: <= 30)"
              + " (max_label_names_per_series)");
    }
  }

  @Test
  void write_completesNormallyWhenSeriesAreRefused() {
    SeriesLimits limits = new SeriesLimits("t", 1, 0, 0, 0, 0);
    try (MetricStore store = EmbeddedMetricStore.builder(dir).limits(limits).build()) {
      store.write(series("w", 0, 3, 1000)).join();
      assertThat(store.seriesCount()).isEqualTo(1);
    }
  }

  @Test
  void constructor_rejectsNegativeLimits() {
    assertThatThrownBy(() -> new SeriesLimits("t", -1, 0, 0, 0, 0))
        .hasMessage("maxSeries: -1 (expected: >= 0, 0 = no limit)");
  }

  private static List<TimeSeries> series(String name, int from, int n, long time) {
    List<TimeSeries> out = new ArrayList<>(n);
    for (int i = from; i < from + n; i++) {
      out.add(TimeSeries.of(Labels.of(Labels.NAME, name, "i", Integer.toString(i)), time, i));
    }
    return out;
  }

  private static long samples(MetricStore store, String name) {
    long n = 0;
    for (Series s : store.select(List.of(LabelMatcher.eq(Labels.NAME, name)), 0,
        Long.MAX_VALUE)) {
      SampleIterator it = s.samples();
      while (it.next()) {
        n++;
      }
    }
    return n;
  }
}
