package dev.sextant.query.promql;

import dev.sextant.query.promql.Values.Smp;
import dev.sextant.query.promql.Values.Vec;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.Series;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

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

  private final Labels[] series;
  /** Each series' labels without {@code __name__} when the call drops it, else null. */
  private final Labels @Nullable [] noName;
  private final boolean dropName;
  /** Whether the result's label sets are distinct (see {@link #distinct()}). */
  private final boolean distinct;
  private final long start;
  private final long step;
  private final int steps;
  private final double[] values; // [series * steps + step]
  private final long[] present; // bit per cell

  private SeriesMajor(int n, WindowKernel k, long start, long step) {
    this.series = new Labels[n];
    this.dropName = k.dropName;
    this.noName = dropName ? new Labels[n] : null;
    this.distinct = !dropName || k.onlyName() != null;
    this.start = start;
    this.step = step;
    this.steps = k.steps;
    this.values = new double[n * steps];
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
    SeriesMajor out = new SeriesMajor(data.size(), k, ev.start, ev.step);
    double[] row = new double[steps];
    boolean[] has = new boolean[steps];
    Evaluator.Points p = ev.points();
    // Series are read in storage's order (see ReadOrder), each into its own cells, and their
    // labels taken then too: in label order each series' first touch is a cache miss. The
    // counter-name checks then run in label order, so annotations come out as step by step.
    int[] order = Evaluator.readOrder(data);
    long[] checkDue = order == null ? null : new long[(data.size() + 63) >>> 6];
    k.deferChecks = order != null;
    for (int r = 0; r < data.size(); r++) {
      int i = order == null ? r : order[r];
      Series s = data.get(i);
      Labels labels = s.labels();
      out.series[i] = labels;
      if (out.noName != null) {
        out.noName[i] = labels.withoutName(); // cached in the Labels instance
      }
      ev.read(s, k.selector, false, p);
      if (k.eval(labels, p.ts, p.vs, p.n, row, has) > 0) {
        int base = i * steps;
        for (int j = 0; j < steps; j++) {
          if (has[j]) {
            out.set(base + j, row[j]);
          }
        }
      }
      if (k.checkDue) {
        checkDue[i >>> 6] |= 1L << i;
      }
      ev.checkLimits();
    }
    k.deferChecks = false;
    if (checkDue != null) {
      for (int i = 0; i < data.size(); i++) {
        if ((checkDue[i >>> 6] & (1L << i)) != 0) {
          k.checkName(data, i);
        }
      }
    }
    return out;
  }

  /**
   * Whether no two series of the result have the same labels: when the call keeps
   * {@code __name__}, or drops it from series that all have one name (a selector with
   * {@code __name__="x"}). Else dropping the name may make two series equal.
   */
  boolean distinct() {
    return distinct;
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
    List<Smp> out = new ArrayList<>(series.length);
    for (int i = 0; i < series.length; i++) {
      int cell = i * steps + k;
      if (has(cell)) {
        out.add(new Smp(series[i], values[cell], t, dropName, noName == null ? null : noName[i]));
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
    for (int i = 0; i < series.length; i++) {
      Labels labels = noName != null ? noName[i] : series[i];
      if (!distinct && !seen.add(labels)) {
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
