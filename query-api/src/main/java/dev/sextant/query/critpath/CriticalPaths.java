package dev.sextant.query.critpath;

/**
 * Aggregates the critical paths of an operation's traces. For each sampled trace, the top-most span
 * of the service and operation is its end-to-end time; the critical path below it
 * ({@link dev.sextant.query.trace.CriticalPath}) gives each service and operation its nanoseconds,
 * and its share is those over the end-to-end time. Over the traces, each service and operation's
 * shares (0 where absent) give p50, p99 and the mean (nearest rank); the previous window of the
 * same length is aggregated the same way, and {@link CriticalPathReport#grewMost()} names the row
 * whose mean share grew most. The mean ranks, not p50: a share that is 0 in half the traces has a
 * p50 that jumps between 0 and its typical value.
 *
 * <p>Budget: at most {@code maxTraces} traces per window, a deterministic sample
 * ({@link dev.sextant.query.sample.TraceSampler}), read with at most {@code maxSpans} spans per
 * window.
 */
public interface CriticalPaths {
  static CriticalPathsBuilder builder() {
    return new CriticalPathsBuilder();
  }

  /** Aggregates both windows; reads storage (blocking). */
  CriticalPathReport aggregate(CriticalPathQuery query);
}
