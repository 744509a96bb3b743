package dev.sextant.storage.metrics;

/**
 * Implemented by a {@link MetricReader#select} result (a {@code List<Series>} in label order)
 * that knows a faster order to read its series in: the embedded store's own (series id) order,
 * in which the series' chunks and labels lie in memory one after another, where label order
 * jumps around the heap and misses the cache on each series. A reader that reads each series
 * once and then combines the results in label order (the PromQL engine's instant queries) reads
 * them in this order.
 */
public interface ReadOrder {
  /**
   * Every position of the list exactly once, in the order to read them. The same array is
   * returned each call; callers must not change it.
   */
  int[] readOrder();
}
