package dev.sextant.query.promql;

import dev.sextant.query.promql.Values.Smp;
import dev.sextant.query.promql.Values.Vec;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.Series;
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

  private final List<Labels> series;
  private final boolean dropName;
  private final long start;
  private final long step;
  private final int steps;
  private final double[] values; // [series * steps + step]
  private final long[] present; // bit per cell

  private SeriesMajor(List<Labels> series, boolean dropName, long start, long step, int steps) {
    this.series = series;
    this.dropName = dropName;
    this.start = start;
    this.step = step;
    this.steps = steps;
    this.values = new double[series.size() * steps];
    this.present = new long[(values.length + 63) >>> 6];
  }

  /** Whether {@code k}'s answer over {@code n} series is small enough to compute up front. */
  static boolean fits(WindowKernel k, int n) {
    return (long) k.steps * n <= MAX_CELLS;
  }

  /**
   * Evaluates {@code k}'s call over every step, reading each selected series once, straight from
   * storage (nothing is kept of its points); {@code fits(k, data.size())} must hold.
   */
  static SeriesMajor compute(Evaluator ev, WindowKernel k, List<Series> data) {
    int steps = k.steps;
    List<Labels> labels = new ArrayList<>(data.size());
    for (Series s : data) {
      labels.add(s.labels());
    }
    SeriesMajor out = new SeriesMajor(labels, k.dropName, ev.start, ev.step, steps);
    double[] row = new double[steps];
    boolean[] has = new boolean[steps];
    Evaluator.Points p = ev.points();
    for (int i = 0; i < data.size(); i++) {
      Series s = data.get(i);
      ev.read(s, k.selector, false, p);
      if (k.eval(s.labels(), p.ts, p.vs, p.n, row, has) > 0) {
        int base = i * steps;
        for (int j = 0; j < steps; j++) {
          if (has[j]) {
            out.set(base + j, row[j]);
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
        // No name-less labels yet: most uses (aggregations by a label) never need them, and
        // reading each series' labels here costs a cache miss per series.
        out.add(new Smp(series.get(i), values[cell], t, dropName, null));
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
      Labels labels = dropName ? series.get(i).withoutName() : series.get(i);
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
