package dev.sextant.server.tenancy;

import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.MetricMetadata;
import dev.sextant.storage.metrics.MetricReader;
import dev.sextant.storage.metrics.Series;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** A {@link MetricReader} resolved per call: the current tenant's. */
final class TenantMetricReader implements MetricReader {
  private final Supplier<MetricReader> current;

  TenantMetricReader(Supplier<MetricReader> current) {
    this.current = current;
  }

  @Override
  public List<Series> select(List<LabelMatcher> matchers, long minTime, long maxTime) {
    return current.get().select(matchers, minTime, maxTime);
  }

  @Override
  public List<Series> select(List<LabelMatcher> matchers, long minTime, long maxTime,
      Runnable checkpoint) {
    // Passed on, so the query deadline also stops the tenant store's regex matching.
    return current.get().select(matchers, minTime, maxTime, checkpoint);
  }

  @Override
  public Set<String> labelNames(List<LabelMatcher> matchers, long minTime, long maxTime) {
    return current.get().labelNames(matchers, minTime, maxTime);
  }

  @Override
  public Set<String> labelValues(String name, List<LabelMatcher> matchers, long minTime,
      long maxTime) {
    return current.get().labelValues(name, matchers, minTime, maxTime);
  }

  @Override
  public Map<String, List<MetricMetadata>> metadata(@Nullable String metric, int limit,
      int limitPerMetric) {
    return current.get().metadata(metric, limit, limitPerMetric);
  }
}
