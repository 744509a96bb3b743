package dev.sextant.storage.metrics;

import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link MetricWriter#append} left out: samples of new series that {@link SeriesLimits}
 * refused. Everything else of the write is durable. Samples dropped as out of order or duplicate
 * are not refusals (see {@link MetricStore}).
 *
 * @param refusedSeries series of the write that were refused
 * @param refusedSamples their samples
 * @param samplesByReason refused samples per reason, with Mimir's reason names
 *     ({@code per_user_series_limit}, {@code per_metric_series_limit},
 *     {@code label_name_too_long}, {@code label_value_too_long},
 *     {@code max_label_names_per_series})
 * @param message the first refusal, naming the limit; null when nothing was refused
 * @param refusedMetrics some {@code __name__} values of refused series (at most 16)
 */
public record AppendResult(long refusedSeries, long refusedSamples,
    Map<String, Long> samplesByReason, @Nullable String message, Set<String> refusedMetrics) {

  /** Nothing refused. */
  public static final AppendResult ALL_ACCEPTED = new AppendResult(0, 0, Map.of(), null, Set.of());

  public AppendResult {
    samplesByReason = Map.copyOf(samplesByReason);
    refusedMetrics = Set.copyOf(refusedMetrics);
  }

  /** Whether every series was accepted. */
  public boolean allAccepted() {
    return refusedSeries == 0;
  }
}
