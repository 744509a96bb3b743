package dev.sextant.query.compare;

/**
 * Compares the traces a {@link Selection} picks in a window with the other traces of that window,
 * and ranks the values (span and resource attributes, services, operations) most
 * over-represented in the selection.
 *
 * <p>Scoring: for each value, the proportion of selected traces having it (on any of their spans)
 * minus the proportion of baseline traces having it; a value is ranked when that difference is
 * positive and at least 3 selected traces have it (all of them, when fewer were selected). Keys
 * naming IDs or times, and keys with more distinct values than a quarter of the traces analysed
 * (and more than 10), are ignored and listed as such.
 *
 * <p>Budget: each side is a deterministic sample of at most {@code maxTracesPerSide} traces
 * ({@link dev.sextant.query.sample.TraceSampler}), read with at most {@code maxSpans} spans per
 * side; {@link Comparison#sampled()} says when the answer saw less than the window holds.
 *
 * <p>Baseline: for {@code error} and {@code duration>D}, the other traces through the service and
 * operation (any trace, when neither is given); for {@code all}, the traces of the window that do
 * not pass through them.
 */
public interface TraceComparer {
  static TraceComparerBuilder builder() {
    return new TraceComparerBuilder();
  }

  /**
   * Runs the comparison; reads storage (blocking).
   *
   * @throws dev.sextant.storage.StorageException when the store fails
   */
  Comparison compare(CompareQuery query);
}
