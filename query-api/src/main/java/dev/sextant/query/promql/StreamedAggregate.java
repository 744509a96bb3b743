package dev.sextant.query.promql;

import dev.sextant.query.promql.Values.Smp;
import dev.sextant.query.promql.Values.Vec;
import dev.sextant.query.promql.parser.AggOp;
import dev.sextant.query.promql.parser.Expr.Aggregate;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.Series;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code sum|avg|min|max|count|group by|without (...) (f(x[d]))} with {@code f} a
 * {@link WindowKernel} call, or the same over a plain selector ({@link InstantKernel}), evaluated by streaming: each selected series is read from storage,
 * run through the call for every step, and folded into its group's per-step accumulator at once,
 * so no series' points, per-series results or per-step vectors are kept. The arithmetic (Kahan
 * sums, Prometheus's mean with its overflow fallback, NaN handling of min/max), the group order
 * (first series seen at each step) and the pending {@code __name__} drop are those of
 * {@link Aggregations}, so answers match the step-by-step path.
 */
final class StreamedAggregate {
  private final List<Group> groups = new ArrayList<>();
  private final long start;
  private final long step;
  private final int steps;
  private final boolean drop;

  private StreamedAggregate(long start, long step, int steps, boolean drop) {
    this.start = start;
    this.step = step;
    this.steps = steps;
    this.drop = drop;
  }

  /** Whether {@code a} is an aggregation this class can stream. */
  static boolean supports(Aggregate a) {
    if (a.param() != null) {
      return false;
    }
    AggOp op = a.op();
    return op == AggOp.SUM || op == AggOp.AVG || op == AggOp.MIN || op == AggOp.MAX
        || op == AggOp.COUNT || op == AggOp.GROUP;
  }

  /** Streams every series of {@code data} (the kernel's selection) through {@code a}. */
  static StreamedAggregate compute(Evaluator ev, Aggregate a, StepKernel k, List<Series> data) {
    int steps = k.steps();
    StreamedAggregate out = new StreamedAggregate(ev.start, ev.step, steps, k.dropName());
    double[] row = new double[steps];
    boolean[] has = new boolean[steps];
    Evaluator.Points p = ev.points();
    // by (one label): the group follows from that label's value alone.
    String only = !a.without() && a.grouping().size() == 1 ? a.grouping().get(0) : null;
    Map<String, Group> byValue = new HashMap<>();
    Map<Labels, Group> byKey = new HashMap<>();
    for (int i = 0; i < data.size(); i++) {
      Series s = data.get(i);
      ev.read(s, k.selector(), k.keepStale(), p);
      if (k.eval(s.labels(), p.ts, p.vs, p.n, row, has) > 0) {
        Labels labels = s.labels();
        Group g;
        if (only != null) {
          g = byValue.get(labels.get(only));
          if (g == null) {
            String v = labels.get(only);
            g = out.group(byKey, v.isEmpty() ? Labels.EMPTY : Labels.of(only, v), a.op());
            byValue.put(v, g);
          }
        } else {
          // Grouping sees a pending-drop __name__ (Prometheus's delayed name removal does too).
          Labels key = a.without() ? LabelSets.withoutAll(labels, a.grouping(), true)
              : LabelSets.keepOnly(labels, a.grouping());
          g = out.group(byKey, key, a.op());
        }
        for (int j = 0; j < steps; j++) {
          if (has[j]) {
            g.add(j, row[j], i);
          }
        }
      }
      ev.checkLimits();
    }
    return out;
  }

  private Group group(Map<Labels, Group> byKey, Labels key, AggOp op) {
    Group g = byKey.get(key);
    if (g == null) {
      g = new Group(key, op, steps);
      byKey.put(key, g);
      groups.add(g);
    }
    return g;
  }

  /** The aggregation's value at {@code t}, or null when {@code t} is not one of the steps. */
  @Nullable Vec at(long t) {
    long off = t - start;
    if (step == 0 ? off != 0 : off < 0 || off % step != 0 || off / step >= steps) {
      return null;
    }
    int k = step == 0 ? 0 : (int) (off / step);
    List<Group> present = new ArrayList<>();
    for (Group g : groups) {
      if (g.count[k] > 0) {
        present.add(g);
      }
    }
    // Aggregations orders groups by their first series in the step's input vector.
    present.sort((x, y) -> Integer.compare(x.first[k], y.first[k]));
    List<Smp> out = new ArrayList<>(present.size());
    for (Group g : present) {
      out.add(new Smp(g.key, g.value(k), t, drop));
    }
    return new Vec(out);
  }

  /** One group's accumulators, one cell per step. */
  private static final class Group {
    final Labels key;
    final AggOp op;
    final int[] count;
    final int[] first;
    /** sum (sum, avg), the running min/max, or the incremental mean once avg overflowed. */
    final double[] acc;
    /** Kahan compensation (sum, avg). */
    final double[] comp;
    /** avg only: switched to the incremental mean after the sum overflowed. */
    final boolean @Nullable [] incremental;

    Group(Labels key, AggOp op, int steps) {
      this.key = key;
      this.op = op;
      count = new int[steps];
      first = new int[steps];
      acc = new double[steps];
      comp = new double[steps];
      incremental = op == AggOp.AVG ? new boolean[steps] : null;
    }

    void add(int k, double f, int series) {
      int n = ++count[k];
      if (n == 1) {
        first[k] = series;
      }
      switch (op) {
        case SUM -> kahan(k, f);
        case AVG -> avg(k, f, n);
        case MIN -> {
          if (n == 1 || acc[k] > f || Double.isNaN(acc[k])) {
            acc[k] = f;
          }
        }
        case MAX -> {
          if (n == 1 || acc[k] < f || Double.isNaN(acc[k])) {
            acc[k] = f;
          }
        }
        default -> { } // count, group: the count is all they need
      }
    }

    /** {@link FloatMath#kahanInc} on cell k. */
    private void kahan(int k, double inc) {
      double sum = acc[k];
      double t = sum + inc;
      if (Double.isInfinite(t)) {
        comp[k] = 0;
      } else if (Math.abs(sum) >= Math.abs(inc)) {
        comp[k] += (sum - t) + inc;
      } else {
        comp[k] += (inc - t) + sum;
      }
      acc[k] = t;
    }

    /** One step of {@link FloatMath#mean}. */
    private void avg(int k, double f, int n) {
      double count = n;
      boolean[] inc = incremental;
      if (!inc[k]) {
        double sum = acc[k];
        double c = comp[k];
        kahan(k, f);
        if (count == 1 || !Double.isInfinite(acc[k])) {
          return;
        }
        // Undo the overflowing step, then continue with the incremental mean.
        inc[k] = true;
        acc[k] = sum / (count - 1);
        comp[k] = c / (count - 1);
      }
      double q = (count - 1) / count;
      double mean = q * acc[k];
      double c = q * comp[k];
      double inc2 = f / count;
      double t = mean + inc2;
      if (Double.isInfinite(t)) {
        c = 0;
      } else if (Math.abs(mean) >= Math.abs(inc2)) {
        c += (mean - t) + inc2;
      } else {
        c += (inc2 - t) + mean;
      }
      acc[k] = t;
      comp[k] = c;
    }

    double value(int k) {
      int n = count[k];
      return switch (op) {
        case SUM -> Double.isInfinite(acc[k]) ? acc[k] : acc[k] + comp[k];
        case AVG -> incremental[k] ? acc[k] + comp[k] : acc[k] / n + comp[k] / n;
        case COUNT -> n;
        case GROUP -> 1;
        default -> acc[k]; // min, max
      };
    }
  }
}
