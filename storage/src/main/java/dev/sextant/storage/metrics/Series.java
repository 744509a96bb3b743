package dev.sextant.storage.metrics;

/** One series returned by a select: its labels and a fresh iterator over the selected samples. */
public interface Series {
  Labels labels();

  /** A new iterator each call, over samples with {@code minTime <= t <= maxTime} of the select. */
  SampleIterator samples();
}
