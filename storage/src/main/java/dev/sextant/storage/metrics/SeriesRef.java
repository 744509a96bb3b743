package dev.sextant.storage.metrics;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * One series as a writer's client keeps it from write to write (a scrape target's series cache
 * does), with a slot where the store that stored it keeps its own reference to the series, so
 * that later samples of the series are appended by reference: no hashing or comparing of labels
 * per sample (Prometheus's scrape cache keeps the head's series ref likewise). Passed to
 * {@link MetricWriter#append(SampleBatch)} in a {@link SampleBatch}.
 *
 * <p>The slot is the store's business: a store checks that a reference in it is one of its own
 * live series before using it, and otherwise (another store wrote it, or the series was dropped
 * since, by retention) looks the labels up as for a series it has not seen, and may refuse the
 * series then ({@link SeriesLimits}). A stale reference so costs a lookup, never a sample. Safe to
 * share between threads (the slot is volatile); one instance per series is the point, but two
 * instances with equal labels are the same series to a store.
 */
public final class SeriesRef {
  private final Labels labels;
  /** {@code labels.size()}, read by {@link SampleBatch} without touching the labels. */
  final int labelCount;
  private volatile @Nullable Object storeRef;

  /**
   * A reference to the series {@code labels}, not yet stored anywhere.
   *
   * @throws IllegalArgumentException when {@code labels} is empty (no store takes that series)
   */
  public SeriesRef(Labels labels) {
    this.labels = requireNonNull(labels, "labels");
    labelCount = labels.size();
    if (labelCount == 0) {
      throw new IllegalArgumentException(
          "labels: empty (expected: at least one label with a non-empty value)");
    }
  }

  public Labels labels() {
    return labels;
  }

  /** The reference a store put here, or null; for {@link MetricWriter} implementations. */
  public @Nullable Object storeRef() {
    return storeRef;
  }

  /** Keeps the store's reference to the series; for {@link MetricWriter} implementations. */
  public void storeRef(@Nullable Object ref) {
    storeRef = ref;
  }

  @Override
  public String toString() {
    return labels.toString();
  }
}
