package dev.sextant.storage.embedded;

import dev.sextant.storage.metrics.MetricStore;
import java.nio.file.Path;

/**
 * Opens the embedded metrics TSDB on its own, without spans and logs: alert backtests' scratch
 * stores, tools and tests. {@link EmbeddedStorage} opens the same store inside its data directory.
 */
public final class EmbeddedMetricStore {
  private EmbeddedMetricStore() {}

  /** Opens (creating if needed) a store in {@code dir} with default settings. */
  public static MetricStore open(Path dir) {
    return builder(dir).build();
  }

  /** A builder for a store in {@code dir}; nothing is opened until {@link MetricStoreBuilder#build}. */
  public static MetricStoreBuilder builder(Path dir) {
    return new MetricStoreBuilder(dir);
  }
}
