package dev.sextant.storage.metrics;

import java.util.List;
import java.util.Set;

/** Reads series for the PromQL engine and the label APIs. Time bounds are inclusive, in ms. */
public interface MetricReader {
  /**
   * Series matching every matcher, with samples in {@code [minTime, maxTime]}. A series with no
   * sample in range is omitted. Results are sorted by labels.
   */
  List<Series> select(List<LabelMatcher> matchers, long minTime, long maxTime);

  /** Label names of series with samples in range matching {@code matchers} (all when empty). */
  Set<String> labelNames(List<LabelMatcher> matchers, long minTime, long maxTime);

  /** Values of {@code name} over series with samples in range matching {@code matchers}. */
  Set<String> labelValues(String name, List<LabelMatcher> matchers, long minTime, long maxTime);
}
