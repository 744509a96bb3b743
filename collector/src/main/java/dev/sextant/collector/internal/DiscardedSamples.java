package dev.sextant.collector.internal;

import dev.sextant.storage.metrics.AppendResult;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;

/**
 * {@code sextant_discarded_samples_total{tenant,reason}}, as Mimir's
 * {@code cortex_discarded_samples_total}: samples refused by a per-tenant series limit (OTLP and
 * scrape) or a scrape limit. Registered once per JVM in the default registry.
 */
public final class DiscardedSamples {
  private static final Counter COUNTER = Counter.builder()
      .name("sextant_discarded_samples_total")
      .help("Samples refused by a series or scrape limit, by Mimir-style reason")
      .labelNames("tenant", "reason").register(PrometheusRegistry.defaultRegistry);

  private DiscardedSamples() {}

  /** Counts the refusals of one write. */
  public static void count(String tenant, AppendResult result) {
    for (Map.Entry<String, Long> e : result.samplesByReason().entrySet()) {
      COUNTER.labelValues(tenant, e.getKey()).inc(e.getValue());
    }
  }

  /** Counts {@code samples} refused for {@code reason}. */
  public static void count(String tenant, String reason, long samples) {
    if (samples > 0) {
      COUNTER.labelValues(tenant, reason).inc(samples);
    }
  }

  /** The count so far (tests). */
  public static double get(String tenant, String reason) {
    return COUNTER.labelValues(tenant, reason).get();
  }
}
