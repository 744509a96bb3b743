package dev.sextant.storage.metrics;

import static java.util.Objects.requireNonNull;

/**
 * Limits a {@link MetricStore} applies when a write would create a <em>new</em> series; samples of
 * series that exist are never refused by them. Names and defaults follow Grafana Mimir's
 * per-tenant limits. A value of 0 turns that limit off.
 *
 * <p>The series counts are of every series the store holds (in memory, about 500 bytes of heap
 * each): a series leaves the count when retention drops its last sample. That is what bounds the
 * heap, so it is counted rather than Mimir's "active in the last hours".
 *
 * @param tenant names the store's owner in refusal messages
 * @param maxSeries Mimir's {@code max_global_series_per_user}: series in the store
 * @param maxSeriesPerMetric Mimir's {@code max_global_series_per_metric}: series with one
 *     {@code __name__}
 * @param maxLabelNameLength Mimir's {@code max_label_name_length}, in characters
 * @param maxLabelValueLength Mimir's {@code max_label_value_length}, in characters
 * @param maxLabelNamesPerSeries Mimir's {@code max_label_names_per_series}, {@code __name__}
 *     included
 */
public record SeriesLimits(String tenant, int maxSeries, int maxSeriesPerMetric,
    int maxLabelNameLength, int maxLabelValueLength, int maxLabelNamesPerSeries) {

  /** No limit at all: the store's default, for embedded use, tools and benchmarks. */
  public static final SeriesLimits UNLIMITED = new SeriesLimits("default", 0, 0, 0, 0, 0);

  public SeriesLimits {
    requireNonNull(tenant, "tenant");
    check("maxSeries", maxSeries);
    check("maxSeriesPerMetric", maxSeriesPerMetric);
    check("maxLabelNameLength", maxLabelNameLength);
    check("maxLabelValueLength", maxLabelValueLength);
    check("maxLabelNamesPerSeries", maxLabelNamesPerSeries);
  }

  /**
   * Mimir's defaults for {@code tenant}: 150,000 series, no per-metric limit, label names of up
   * to 1024 characters, values of up to 2048, 30 labels per series.
   */
  public static SeriesLimits defaults(String tenant) {
    return new SeriesLimits(tenant, 150_000, 0, 1024, 2048, 30);
  }

  /** These limits with another owner's name. */
  public SeriesLimits withTenant(String tenant) {
    return new SeriesLimits(tenant, maxSeries, maxSeriesPerMetric, maxLabelNameLength,
        maxLabelValueLength, maxLabelNamesPerSeries);
  }

  private static void check(String name, int v) {
    if (v < 0) {
      throw new IllegalArgumentException(name + ": " + v + " (expected: >= 0, 0 = no limit)");
    }
  }
}
