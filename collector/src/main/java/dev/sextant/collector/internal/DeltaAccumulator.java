package dev.sextant.collector.internal;

import dev.sextant.storage.metrics.Labels;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns delta temporality into cumulative, as Prometheus needs: a running total per series key.
 * Bounded (least recently used keys are forgotten), so a flood of distinct series cannot exhaust
 * memory; a forgotten series simply restarts from zero, which PromQL treats as a counter reset.
 */
final class DeltaAccumulator {
  private static final int MAX_SERIES = 100_000;

  private final Map<Labels, double[]> totals = new LinkedHashMap<>(1024, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<Labels, double[]> eldest) {
      return size() > MAX_SERIES;
    }
  };

  /** Adds {@code deltas} to the running totals of {@code key} and returns the new totals. */
  synchronized double[] add(Labels key, double[] deltas) {
    double[] t = totals.get(key);
    if (t == null || t.length != deltas.length) {
      t = new double[deltas.length];
      totals.put(key, t);
    }
    for (int i = 0; i < deltas.length; i++) {
      t[i] += deltas[i];
    }
    return t.clone();
  }
}
