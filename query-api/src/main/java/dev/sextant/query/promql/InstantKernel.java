package dev.sextant.query.promql;

import dev.sextant.query.promql.parser.Expr;
import dev.sextant.query.promql.parser.Expr.VectorSelector;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.StaleMarker;
import org.jspecify.annotations.Nullable;

/**
 * A plain instant selector such as {@code x{job="a"} offset 1m} (no {@code @}) at every step:
 * the newest point at or before the step within the lookback delta, unless it is a staleness
 * marker. Only used under an aggregation, which does not see the point's own timestamp.
 */
final class InstantKernel implements StepKernel {
  private final VectorSelector selector;
  private final long[] refs;
  private final long lookback;

  private InstantKernel(VectorSelector selector, long[] refs, long lookback) {
    this.selector = selector;
    this.refs = refs;
    this.lookback = lookback;
  }

  /** The kernel of {@code vs} in {@code ev}'s query, or null when it has an {@code @}. */
  static @Nullable InstantKernel of(Evaluator ev, VectorSelector vs) {
    if (vs.at() != null || ev.step < 0 || (ev.step == 0 && ev.end != ev.start)) {
      return null;
    }
    int steps = ev.step == 0 ? 1 : (int) ((ev.end - ev.start) / ev.step) + 1;
    long[] refs = new long[steps];
    for (int k = 0; k < steps; k++) {
      refs[k] = ev.start + k * ev.step - vs.offsetMs();
    }
    return new InstantKernel(vs, refs, ev.lookback());
  }

  @Override
  public Expr selector() {
    return selector;
  }

  @Override
  public int steps() {
    return refs.length;
  }

  @Override
  public boolean dropName() {
    return false;
  }

  @Override
  public boolean keepStale() {
    return true;
  }

  @Override
  public int eval(Labels labels, long[] ts, double[] vs, int n, double[] out, boolean[] has) {
    int i = -1; // the last point at or before the step's reference time
    int present = 0;
    for (int k = 0; k < refs.length; k++) {
      long ref = refs[k];
      while (i + 1 < n && ts[i + 1] <= ref) {
        i++;
      }
      has[k] = i >= 0 && ts[i] > ref - lookback && !StaleMarker.isStale(vs[i]);
      if (has[k]) {
        out[k] = vs[i];
        present++;
      }
    }
    return present;
  }
}
