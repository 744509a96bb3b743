package dev.sextant.query.promql;

import dev.sextant.query.promql.RangeFunctions.Ctx;
import dev.sextant.query.promql.RangeFunctions.Simple;
import dev.sextant.query.promql.Values.Rng;
import dev.sextant.query.promql.parser.Expr;
import dev.sextant.query.promql.parser.Expr.Call;
import dev.sextant.query.promql.parser.Expr.MatrixSelector;
import dev.sextant.query.promql.parser.Expr.Paren;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import org.jspecify.annotations.Nullable;

/**
 * A call such as {@code rate(x[5m])} whose only argument is a plain matrix selector, evaluated
 * for one series at every step of the query at once: each step's window slides forward over the
 * series' points instead of being searched for. It is what {@link SeriesMajor} and
 * {@link StreamedAggregate} share; values, annotations and absent cells are those of the
 * step-by-step path. An instant query is a range query of one step (step 0). Not thread-safe
 * (one per query).
 */
final class WindowKernel implements StepKernel {
  final Call call;
  final MatrixSelector selector;
  final int steps;
  /** Whether the call's result drops {@code __name__} (every function here but a few). */
  final boolean dropName;
  private final Evaluator ev;
  private final Simple fn;
  private final Ctx[] ctxs;
  private final boolean counterCheck;
  private final boolean extrapolated;
  private final boolean rate;
  /** With {@code __name__="x"} every series has that name: no need to read it per series. */
  private final @Nullable String onlyName;
  private @Nullable String lastChecked;

  private WindowKernel(Evaluator ev, Call call, MatrixSelector ms, Simple fn, int steps) {
    this.ev = ev;
    this.call = call;
    this.selector = ms;
    this.fn = fn;
    this.steps = steps;
    this.dropName = !fn.keepName();
    ctxs = new Ctx[steps];
    double[] noScalars = new double[1];
    for (int k = 0; k < steps; k++) {
      long t = ev.start + k * ev.step;
      long ref = t - ms.selector().offsetMs();
      ctxs[k] = new Ctx(ev, call, t, ref - ms.rangeMs(), ref, noScalars);
    }
    String name = call.func().name();
    counterCheck = name.equals("rate") || name.equals("increase");
    extrapolated = counterCheck || name.equals("delta");
    rate = name.equals("rate");
    String only = null;
    for (LabelMatcher m : ms.selector().allMatchers()) {
      if (m.name().equals(Labels.NAME) && m.type() == LabelMatcher.Type.EQ) {
        only = m.value();
      }
    }
    onlyName = only;
  }

  /**
   * The kernel of {@code e} (parentheses aside) when it is such a call evaluated at the query's
   * steps only (no {@code @}), else null.
   */
  static @Nullable WindowKernel of(Evaluator ev, Expr e) {
    while (e instanceof Paren p) {
      e = p.expr();
    }
    if (!(e instanceof Call c)) {
      return null;
    }
    Simple fn = RangeFunctions.simple(c.func().name());
    if (fn == null || c.args().size() != 1 || !(c.args().get(0) instanceof MatrixSelector ms)
        || ms.selector().at() != null || ev.step < 0 || (ev.step == 0 && ev.end != ev.start)) {
      return null;
    }
    int steps = ev.step == 0 ? 1 : (int) ((ev.end - ev.start) / ev.step) + 1;
    return new WindowKernel(ev, c, ms, fn, steps);
  }

  @Override
  public Expr selector() {
    return selector;
  }

  @Override
  public int steps() {
    return steps;
  }

  @Override
  public boolean dropName() {
    return dropName;
  }

  /** Range selectors leave staleness markers out. */
  @Override
  public boolean keepStale() {
    return false;
  }

  @Override
  public int eval(Labels labels, long[] ts, double[] vs, int n, double[] out, boolean[] has) {
    int from = 0;
    int to = 0;
    int present = 0;
    boolean checked = !counterCheck;
    for (int k = 0; k < steps; k++) {
      Ctx cx = ctxs[k];
      has[k] = false;
      // (rangeStart, rangeEnd]; both ends only move forward from step to step.
      while (to < n && ts[to] <= cx.rangeEnd()) {
        to++;
      }
      while (from < to && ts[from] <= cx.rangeStart()) {
        from++;
      }
      if (!checked && to - from >= 2) {
        // Each metric name once, not per series (its info is reported once anyway).
        String metric = onlyName != null ? onlyName : RangeFunctions.metricName(labels);
        if (!metric.equals(lastChecked)) {
          RangeFunctions.checkCounterName(ev, selector, labels);
          lastChecked = metric;
        }
        checked = true;
      }
      if (extrapolated) {
        // rate, increase, delta: the same arithmetic as their body, without boxing.
        if (to - from >= 2) {
          out[k] = RangeFunctions.extrapolate(ts, vs, from, to, cx.rangeStart(), cx.rangeEnd(),
              counterCheck, rate);
          has[k] = true;
          present++;
        }
      } else if (to > from) {
        Double res = fn.body().apply(new Rng(labels, ts, vs, from, to, false, null), cx);
        if (res != null) {
          out[k] = res;
          has[k] = true;
          present++;
        }
      }
    }
    return present;
  }
}
