package dev.sextant.storage.internal.metrics;

import dev.sextant.storage.metrics.AppendResult;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.SeriesLimits;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides whether a new series may be created under the store's {@link SeriesLimits}: label
 * shape first (a series that is malformed is refused whatever the counts), then the series
 * counts. Writer thread only.
 */
final class SeriesLimiter {
  static final String PER_USER = "per_user_series_limit";
  static final String PER_METRIC = "per_metric_series_limit";
  static final String NAME_TOO_LONG = "label_name_too_long";
  static final String VALUE_TOO_LONG = "label_value_too_long";
  static final String TOO_MANY_LABELS = "max_label_names_per_series";
  /** Longest excerpt of a user string quoted in a message, so a 1 MB label is not echoed. */
  private static final int QUOTE = 64;

  private final SeriesLimits limits;

  SeriesLimiter(SeriesLimits limits) {
    this.limits = limits;
  }

  /** Why a new series with {@code labels} is refused, or null when it may be created. */
  Refusal check(Labels labels, SeriesRegistry registry) {
    String metric = SeriesRegistry.metricName(labels);
    int n = labels.size();
    if (limits.maxLabelNamesPerSeries() > 0 && n > limits.maxLabelNamesPerSeries()) {
      return new Refusal(TOO_MANY_LABELS, "series of metric " + quote(metric) + " has " + n
          + " labels (expected: <= " + limits.maxLabelNamesPerSeries()
          + ") (max_label_names_per_series)");
    }
    for (int i = 0; i < n; i++) {
      String name = labels.name(i);
      if (limits.maxLabelNameLength() > 0 && name.length() > limits.maxLabelNameLength()) {
        return new Refusal(NAME_TOO_LONG, "label name " + quote(name) + " of metric "
            + quote(metric) + " has " + name.length() + " characters (expected: <= "
            + limits.maxLabelNameLength() + ") (max_label_name_length)");
      }
      String value = labels.value(i);
      if (limits.maxLabelValueLength() > 0 && value.length() > limits.maxLabelValueLength()) {
        return new Refusal(VALUE_TOO_LONG, "value of label " + quote(name) + " of metric "
            + quote(metric) + " has " + value.length() + " characters (expected: <= "
            + limits.maxLabelValueLength() + ") (max_label_value_length)");
      }
    }
    if (limits.maxSeries() > 0 && registry.count() >= limits.maxSeries()) {
      return new Refusal(PER_USER, "per-tenant series limit of " + limits.maxSeries()
          + " reached for tenant \"" + limits.tenant() + "\" (max_global_series_per_user)");
    }
    if (limits.maxSeriesPerMetric() > 0
        && registry.countOf(metric) >= limits.maxSeriesPerMetric()) {
      return new Refusal(PER_METRIC, "per-metric series limit of "
          + limits.maxSeriesPerMetric() + " reached for metric " + quote(metric)
          + " of tenant \"" + limits.tenant() + "\" (max_global_series_per_metric)");
    }
    return null;
  }

  static String quote(String s) {
    return "\"" + (s.length() <= QUOTE ? s : s.substring(0, QUOTE) + "...") + "\"";
  }

  /** Why one series was refused: Mimir's reason name and a message naming the limit. */
  record Refusal(String reason, String message) {}

  /** Refusals of one write, summed. */
  static final class Tally {
    private long series;
    private long samples;
    private final TreeMap<String, Long> byReason = new TreeMap<>();
    private final Set<String> metrics = new LinkedHashSet<>();
    private String message;

    void add(Refusal r, Labels labels, int sampleCount) {
      series++;
      samples += sampleCount;
      byReason.merge(r.reason(), (long) sampleCount, Long::sum);
      if (metrics.size() < 16) {
        metrics.add(SeriesRegistry.metricName(labels));
      }
      if (message == null) {
        message = r.message();
      }
    }

    AppendResult result() {
      return series == 0 ? AppendResult.ALL_ACCEPTED
          : new AppendResult(series, samples, byReason, message, metrics);
    }
  }
}
