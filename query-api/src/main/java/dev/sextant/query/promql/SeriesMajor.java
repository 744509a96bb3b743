package dev.sextant.query.promql;

import dev.sextant.query.promql.Evaluator.Loaded;
import dev.sextant.query.promql.RangeFunctions.Ctx;
import dev.sextant.query.promql.RangeFunctions.Simple;
import dev.sextant.query.promql.Values.Rng;
import dev.sextant.query.promql.Values.Smp;
import dev.sextant.query.promql.Values.Vec;
import dev.sextant.query.promql.parser.Expr.Call;
import dev.sextant.query.promql.parser.Expr.MatrixSelector;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The fast path for a call such as {@code rate(x[5m])} whose only argument is a plain matrix
 * selector: it is evaluated series by series for every step at once, sliding each series' window
 * forward instead of searching for it at every step, and the steps then read the stored results.
 * An instant query is a range query of one step (step 0). Bodies, order and annotations are those
 * of step-by-step evaluation, so answers match.
 */
final class SeriesMajor {
  /** Most result cells (series × steps) computed up front; bigger queries go step by step. */
  static final long MAX_CELLS = 4_000_000;

  private final List<Loaded> series;
  private final boolean dropName;
  private final long start;
  private final long step;
  private final int steps;
  private final double[] values; // [series * steps + step]
  private final long[] present; // bit per cell

  private SeriesMajor(List<Loaded> series, boolean dropName, long start, long step, int steps) {
    this.series = series;
    this.dropName = dropName;
    this.start = start;
    this.step = step;
    this.steps = steps;
    this.values = new double[series.size() * steps];
    this.present = new long[(values.length + 63) >>> 6];
  }

  /** Evaluates {@code c} over every step of {@code ev}'s range query, or returns null. */
  static SeriesMajor compute(Evaluator ev, Call c, List<Loaded> data) {
    Simple fn = RangeFunctions.simple(c.func().name());
    if (fn == null || c.args().size() != 1 || !(c.args().get(0) instanceof MatrixSelector ms)
        || ms.selector().at() != null || ev.step < 0 || (ev.step == 0 && ev.end != ev.start)) {
      return null;
    }
    int steps = ev.step == 0 ? 1 : (int) ((ev.end - ev.start) / ev.step) + 1;
    if ((long) steps * data.size() > MAX_CELLS) {
      return null;
    }
    SeriesMajor out = new SeriesMajor(data, !fn.keepName(), ev.start, ev.step, steps);
    Ctx[] ctxs = new Ctx[steps];
    double[] noScalars = new double[1];
    for (int k = 0; k < steps; k++) {
      long t = ev.start + k * ev.step;
      long ref = t - ms.selector().offsetMs();
      ctxs[k] = new Ctx(ev, c, t, ref - ms.rangeMs(), ref, noScalars);
    }
    String name = c.func().name();
    boolean counterCheck = name.equals("rate") || name.equals("increase");
    boolean extrapolated = counterCheck || name.equals("delta");
    String lastChecked = null;
    // With __name__="x" every series has that name: no need to read each one's labels for it.
    String onlyName = null;
    for (LabelMatcher m : ms.selector().allMatchers()) {
      if (m.name().equals(Labels.NAME) && m.type() == LabelMatcher.Type.EQ) {
        onlyName = m.value();
      }
    }
    for (int i = 0; i < data.size(); i++) {
      Loaded l = data.get(i);
      long[] ts = l.rts();
      double[] vs = l.rvs();
      int from = 0;
      int to = 0;
      boolean checked = !counterCheck;
      int base = i * steps;
      for (int k = 0; k < steps; k++) {
        Ctx cx = ctxs[k];
        // (rangeStart, rangeEnd]; both ends only move forward from step to step.
        while (to < ts.length && ts[to] <= cx.rangeEnd()) {
          to++;
        }
        while (from < to && ts[from] <= cx.rangeStart()) {
          from++;
        }
        if (!checked && to - from >= 2) {
          // Each metric name once, not per series (its info is reported once anyway).
          String metric = onlyName != null ? onlyName : RangeFunctions.metricName(l.labels());
          if (!metric.equals(lastChecked)) {
            RangeFunctions.checkCounterName(ev, ms, l.labels());
            lastChecked = metric;
          }
          checked = true;
        }
        if (extrapolated) {
          // rate, increase, delta: the same arithmetic as their body, without boxing.
          if (to - from >= 2) {
            out.set(base + k, RangeFunctions.extrapolate(ts, vs, from, to, cx.rangeStart(),
                cx.rangeEnd(), counterCheck, name.equals("rate")));
          }
        } else if (to > from) {
          Double res = fn.body().apply(new Rng(l.labels(), ts, vs, from, to, false, l.noName()),
              cx);
          if (res != null) {
            out.set(base + k, res);
          }
        }
      }
      ev.checkLimits();
    }
    return out;
  }

  private void set(int cell, double v) {
    values[cell] = v;
    present[cell >>> 6] |= 1L << cell;
  }

  private boolean has(int cell) {
    return (present[cell >>> 6] & (1L << cell)) != 0;
  }

  /** The call's value at {@code t}, or null when {@code t} is not one of the query's steps. */
  Vec at(long t) {
    long off = t - start;
    if (step == 0 ? off != 0 : off < 0 || off % step != 0 || off / step >= steps) {
      return null;
    }
    int k = step == 0 ? 0 : (int) (off / step);
    List<Smp> out = new ArrayList<>(series.size());
    for (int i = 0; i < series.size(); i++) {
      int cell = i * steps + k;
      if (has(cell)) {
        Loaded l = series.get(i);
        // No name-less labels yet: most uses (aggregations by a label) never need them, and
        // reading each series' labels here costs a cache miss per series.
        out.add(new Smp(l.labels(), values[cell], t, dropName, null));
      }
    }
    return new Vec(out);
  }

  /**
   * The range query's whole answer when this call is the query, sorted by labels; null when two
   * series end up with the same labels (step-by-step evaluation then merges or rejects them).
   */
  List<QueryResult.Series> matrix(Evaluator ev) {
    Set<Labels> seen = new HashSet<>();
    List<QueryResult.Series> out = new ArrayList<>();
    long total = 0;
    for (int i = 0; i < series.size(); i++) {
      Loaded l = series.get(i);
      Labels labels = dropName ? l.noName() : l.labels();
      if (!seen.add(labels)) {
        return null;
      }
      int base = i * steps;
      int n = 0;
      for (int k = 0; k < steps; k++) {
        if (has(base + k)) {
          n++;
        }
      }
      if (n == 0) {
        continue;
      }
      long[] ts = new long[n];
      double[] vs = new double[n];
      int j = 0;
      for (int k = 0; k < steps; k++) {
        if (has(base + k)) {
          ts[j] = start + k * step;
          vs[j++] = values[base + k];
        }
      }
      total += n;
      out.add(new QueryResult.Series(labels, ts, vs));
    }
    ev.addSamples(total);
    out.sort((a, b) -> a.labels().compareTo(b.labels()));
    return out;
  }
}
