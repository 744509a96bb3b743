package dev.sextant.query.promql;

import dev.sextant.query.promql.parser.Expr;
import dev.sextant.storage.metrics.Labels;

/**
 * Evaluates one node for one series at every step of the query at once, from the series'
 * points read straight from storage: what the series-major and streamed paths run per series.
 */
interface StepKernel {
  /** The selector whose series this kernel reads (its node in the query). */
  Expr selector();

  /** Steps of the query (1 for an instant query). */
  int steps();

  /** Whether the result drops {@code __name__} (pending, as in Prometheus). */
  boolean dropName();

  /** Whether the points handed to {@link #eval} must keep staleness markers. */
  boolean keepStale();

  /**
   * Evaluates over one series' points {@code ts[0..n)}, {@code vs[0..n)} (ascending):
   * {@code out[k]} is step k's value when {@code has[k]}. Returns how many steps have a value.
   */
  int eval(Labels labels, long[] ts, double[] vs, int n, double[] out, boolean[] has);
}
