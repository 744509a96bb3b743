package dev.sextant.collector.limits;

import java.util.Locale;

/** The three OTLP signals; rate limits and self-metrics are kept per signal. */
public enum Signal {
  TRACES, LOGS, METRICS;

  /** Lowercase name as used in metric labels and config keys. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
