package dev.sextant.storage.metrics;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Reads series for the PromQL engine and the label APIs. Time bounds are inclusive, in ms. */
public interface MetricReader {
  /**
   * Series matching every matcher, with samples in {@code [minTime, maxTime]}. A series with no
   * sample in range is omitted. Results are sorted by labels.
   */
  List<Series> select(List<LabelMatcher> matchers, long minTime, long maxTime);

  /**
   * As {@link #select(List, long, long)}, running {@code checkpoint} every so often during the
   * long loops of the read (testing label values against regex matchers, reading series):
   * {@code checkpoint} throws to abandon the read, e.g. when the query's deadline has passed,
   * and its exception reaches the caller unchanged. The default checks once, then selects.
   */
  default List<Series> select(List<LabelMatcher> matchers, long minTime, long maxTime,
                              Runnable checkpoint) {
    checkpoint.run();
    return select(matchers, minTime, maxTime);
  }

  /** Label names of series with samples in range matching {@code matchers} (all when empty). */
  Set<String> labelNames(List<LabelMatcher> matchers, long minTime, long maxTime);

  /** Values of {@code name} over series with samples in range matching {@code matchers}. */
  Set<String> labelValues(String name, List<LabelMatcher> matchers, long minTime, long maxTime);

  /**
   * What the store knows of metrics (see {@link MetricWriter#writeMetadata}): per metric name,
   * sorted by name, its distinct metadata, most recently seen first.
   *
   * @param metric only this metric; null for all
   * @param limit at most this many metrics; negative for no limit (Prometheus's {@code limit})
   * @param limitPerMetric at most this many entries per metric; 0 or negative for no limit
   */
  default Map<String, List<MetricMetadata>> metadata(@Nullable String metric, int limit,
      int limitPerMetric) {
    return Map.of();
  }
}
