package dev.sextant.storage.metrics;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * What a metric is, as Prometheus's {@code /api/v1/metadata} shows it: its type, help text and
 * unit. It comes from a scrape's {@code # TYPE}/{@code # HELP}/{@code # UNIT} lines, from an
 * OTLP metric's kind, description and unit, or from a remote-write request's metadata.
 *
 * @param metric the metric family's name as the source gave it (not empty)
 * @param type the type; {@link Type#UNKNOWN} when the source gave none
 * @param help the help text, {@code ""} when none
 * @param unit the unit, {@code ""} when none
 */
public record MetricMetadata(String metric, Type type, String help, String unit) {
  /** Prometheus's metric types, with their names in the API ({@link #key()}). */
  public enum Type {
    UNKNOWN, COUNTER, GAUGE, HISTOGRAM, GAUGEHISTOGRAM, SUMMARY, INFO, STATESET;

    /** The name in the Prometheus API and exposition formats: {@code counter}, ... */
    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The type named {@code name} in an exposition's {@code # TYPE} line (any case);
     * {@code untyped} and names not known are {@link #UNKNOWN}, as Prometheus reads them.
     */
    public static Type parse(String name) {
      for (Type t : values()) {
        if (t.key().equalsIgnoreCase(name)) {
          return t;
        }
      }
      return UNKNOWN;
    }
  }

  public MetricMetadata {
    requireNonNull(metric, "metric");
    requireNonNull(type, "type");
    requireNonNull(help, "help");
    requireNonNull(unit, "unit");
    if (metric.isEmpty()) {
      throw new IllegalArgumentException("metric: empty (expected: a metric name)");
    }
  }
}
