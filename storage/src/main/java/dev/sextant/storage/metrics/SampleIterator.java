package dev.sextant.storage.metrics;

/**
 * A forward cursor over one series' samples in ascending timestamp order, without boxing.
 * Call {@link #next()} before reading; timestamps are unix milliseconds.
 */
public interface SampleIterator {
  /** Advances; false when exhausted. */
  boolean next();

  long timestamp();

  double value();
}
