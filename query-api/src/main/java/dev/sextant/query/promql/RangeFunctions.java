package dev.sextant.query.promql;

import dev.sextant.query.promql.FunctionImpls.Fn;
import dev.sextant.query.promql.QueryException.Kind;
import dev.sextant.query.promql.Values.Mat;
import dev.sextant.query.promql.Values.Rng;
import dev.sextant.query.promql.Values.Smp;
import dev.sextant.query.promql.Values.Value;
import dev.sextant.query.promql.Values.Vec;
import dev.sextant.query.promql.parser.Expr.Call;
import dev.sextant.query.promql.parser.Expr;
import dev.sextant.storage.metrics.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Functions over range vectors: rate and friends, and every {@code *_over_time}. */
final class RangeFunctions {
  /** Computes one series' result, or null for no output. */
  interface Body {
    Double apply(Rng r, Ctx ctx);
  }

  /** Per-call context: window bounds and scalar arguments. */
  record Ctx(Evaluator ev, Call call, long t, long rangeStart, long rangeEnd, double[] scalars) {}

  private RangeFunctions() {}

  static void register(Map<String, Fn> table) {
    put(table, "rate", false, (r, c) -> extrapolated(r, c, true, true));
    put(table, "increase", false, (r, c) -> extrapolated(r, c, true, false));
    put(table, "delta", false, (r, c) -> extrapolated(r, c, false, false));
    put(table, "irate", false, (r, c) -> instant(r, true));
    put(table, "idelta", false, (r, c) -> instant(r, false));
    put(table, "deriv", false, (r, c) -> {
      if (r.size() < 2) {
        return null;
      }
      return regression(r, r.t(0))[0];
    });
    put(table, "predict_linear", false, (r, c) -> {
      if (r.size() < 2) {
        return null;
      }
      double[] si = regression(r, c.t());
      return si[1] + si[0] * c.scalars()[1];
    });
    put(table, "resets", false, (r, c) -> {
      int n = 0;
      for (int i = 1; i < r.size(); i++) {
        if (r.v(i) < r.v(i - 1)) {
          n++;
        }
      }
      return (double) n;
    });
    put(table, "changes", false, (r, c) -> {
      int n = 0;
      for (int i = 1; i < r.size(); i++) {
        double cur = r.v(i);
        double prev = r.v(i - 1);
        if (cur != prev && !(Double.isNaN(cur) && Double.isNaN(prev))) {
          n++;
        }
      }
      return (double) n;
    });
    put(table, "avg_over_time", false, (r, c) -> FloatMath.mean(values(r), r.size()));
    put(table, "sum_over_time", false, (r, c) -> FloatMath.sum(values(r), r.size()));
    put(table, "count_over_time", false, (r, c) -> (double) r.size());
    put(table, "present_over_time", false, (r, c) -> 1.0);
    put(table, "last_over_time", true, (r, c) -> r.v(r.size() - 1));
    put(table, "first_over_time", true, (r, c) -> r.v(0));
    put(table, "ts_of_last_over_time", false, (r, c) -> r.t(r.size() - 1) / 1000.0);
    put(table, "ts_of_first_over_time", false, (r, c) -> r.t(0) / 1000.0);
    put(table, "min_over_time", false, (r, c) -> r.v(extremum(r, false)));
    put(table, "max_over_time", false, (r, c) -> r.v(extremum(r, true)));
    put(table, "ts_of_min_over_time", false, (r, c) -> r.t(extremum(r, false)) / 1000.0);
    put(table, "ts_of_max_over_time", false, (r, c) -> r.t(extremum(r, true)) / 1000.0);
    put(table, "stdvar_over_time", false, (r, c) -> FloatMath.variance(values(r), r.size()));
    put(table, "stddev_over_time", false,
        (r, c) -> Math.sqrt(FloatMath.variance(values(r), r.size())));
    put(table, "mad_over_time", false, (r, c) -> {
      double[] v = values(r);
      for (double x : v) {
        if (Double.isNaN(x)) {
          return Double.NaN;
        }
      }
      double median = FloatMath.quantile(0.5, v);
      for (int i = 0; i < v.length; i++) {
        v[i] = Math.abs(v[i] - median);
      }
      return FloatMath.quantile(0.5, v);
    });
    table.put("quantile_over_time", fn(1, false,
        (r, c) -> FloatMath.quantile(c.scalars()[0], values(r))));
    put(table, "double_exponential_smoothing", false, RangeFunctions::smoothing);
    table.put("absent_over_time", (ev, c, t) -> {
      Mat m = (Mat) ev.eval(c.args().get(0), t);
      if (!m.series().isEmpty()) {
        return new Vec(List.of());
      }
      return new Vec(List.of(new Smp(FunctionImpls.absentLabels(c.args().get(0)), 1, t, false)));
    });
  }

  /** A function whose only argument is a range vector: its body and whether it keeps names. */
  record Simple(Body body, boolean keepName) {}

  private static final Map<String, Simple> SIMPLE = new HashMap<>();

  /** The body of a one-argument range function, or null. */
  static Simple simple(String name) {
    FunctionImpls.init(); // fills SIMPLE through register()
    return SIMPLE.get(name);
  }

  private static void put(Map<String, Fn> table, String name, boolean keepName, Body body) {
    table.put(name, fn(0, keepName, body));
    SIMPLE.put(name, new Simple(body, keepName));
  }

  private static Fn fn(int matrixArg, boolean keepName, Body body) {
    return (ev, c, t) -> {
      double[] scalars = new double[c.args().size()];
      for (int i = 0; i < c.args().size(); i++) {
        if (i != matrixArg) {
          scalars[i] = ev.evalScalar(c.args().get(i), t);
        }
      }
      String name = c.func().name();
      if (name.equals("quantile_over_time")) {
        double q = scalars[0];
        if (Double.isNaN(q) || q < 0 || q > 1) {
          ev.warn("quantile value should be between 0 and 1, got " + FloatMath.formatPlain(q),
              c.args().get(0));
        }
      }
      if (name.equals("double_exponential_smoothing")) {
        checkFactor(scalars[1], "smoothing");
        checkFactor(scalars[2], "trend");
      }
      Expr arg = c.args().get(matrixArg);
      Value v = ev.eval(arg, t);
      long[] w = ev.window(arg, t);
      Ctx ctx = new Ctx(ev, c, t, w[0], w[1], scalars);
      List<Smp> out = new ArrayList<>();
      boolean counterCheck = name.equals("rate") || name.equals("increase");
      for (Rng r : ((Mat) v).series()) {
        if (counterCheck && r.size() >= 2 && !r.dropName()) {
          checkCounterName(ev, arg, r.labels());
        }
        Double res = body.apply(r, ctx);
        if (res != null) {
          out.add(new Smp(r.labels(), res, t, !keepName || r.dropName(), r.noName()));
        }
      }
      return new Vec(out);
    };
  }

  /** Adds Prometheus's info annotation when rate/increase reads a metric not named a counter. */
  /** The {@code __name__} value, or "" (labels are sorted: the name comes first). */
  static String metricName(Labels labels) {
    return labels.size() > 0 && labels.name(0).equals(Labels.NAME) ? labels.value(0)
        : labels.get(Labels.NAME);
  }

  static void checkCounterName(Evaluator ev, Expr arg, Labels labels) {
    String metric = metricName(labels);
    if (!metric.isEmpty() && !metric.endsWith("_total") && !metric.endsWith("_sum")
        && !metric.endsWith("_count") && !metric.endsWith("_bucket")
        && ev.firstTime(arg, metric)) {
      ev.info("metric might not be a counter, name does not end in "
          + "_total/_sum/_count/_bucket: \"" + metric + "\"", arg);
    }
  }

  private static void checkFactor(double f, String what) {
    if (!(f > 0 && f < 1)) {
      throw new QueryException(
          Kind.EXECUTION,
          "invalid " + what + " factor. Expected: 0 < " + (what.equals("smoothing") ? "sf" : "tf")
              + " < 1, got: " + String.format(Locale.ROOT, "%f", f));
    }
  }

  static double[] values(Rng r) {
    double[] v = new double[r.size()];
    System.arraycopy(r.vs(), r.from(), v, 0, v.length);
    return v;
  }

  private static int extremum(Rng r, boolean max) {
    int best = 0;
    for (int i = 1; i < r.size(); i++) {
      double b = r.v(best);
      double x = r.v(i);
      if (max ? (x >= b || Double.isNaN(b)) : (x <= b || Double.isNaN(b))) {
        if (Double.isNaN(x) && !Double.isNaN(b)) {
          continue;
        }
        best = i;
      }
    }
    return best;
  }

  private static Double extrapolated(Rng r, Ctx c, boolean counter, boolean rate) {
    if (r.size() < 2) {
      return null;
    }
    return extrapolate(r.ts(), r.vs(), r.from(), r.to(), c.rangeStart(), c.rangeEnd(), counter,
        rate);
  }

  /**
   * rate / increase / delta of points {@code [from, to)} (at least two) in the window
   * {@code (rangeStart, rangeEnd]}, extrapolated to the window's ends as Prometheus does.
   */
  static double extrapolate(long[] ts, double[] vs, int from, int to, long rangeStart,
      long rangeEnd, boolean counter, boolean rate) {
    int last = to - 1;
    double first = vs[from];
    double result = vs[last] - first;
    if (counter) {
      double prev = first;
      for (int i = from + 1; i < to; i++) {
        double cur = vs[i];
        if (cur < prev) {
          result += prev;
        }
        prev = cur;
      }
    }
    double durationToStart = (ts[from] - rangeStart) / 1000.0;
    double durationToEnd = (rangeEnd - ts[last]) / 1000.0;
    double sampled = (ts[last] - ts[from]) / 1000.0;
    double avgBetween = sampled / (to - from - 1);
    double threshold = avgBetween * 1.1;
    double extrapolateTo = sampled;
    if (durationToStart >= threshold) {
      durationToStart = avgBetween / 2;
    }
    if (counter && result > 0 && first >= 0) {
      double durationToZero = sampled * (first / result);
      if (durationToZero < durationToStart) {
        durationToStart = durationToZero;
      }
    }
    extrapolateTo += durationToStart;
    if (durationToEnd >= threshold) {
      durationToEnd = avgBetween / 2;
    }
    extrapolateTo += durationToEnd;
    double factor = extrapolateTo / sampled;
    if (rate) {
      factor /= (rangeEnd - rangeStart) / 1000.0;
    }
    return result * factor;
  }

  private static Double instant(Rng r, boolean rate) {
    int n = r.size();
    if (n < 2) {
      return null;
    }
    double last = r.v(n - 1);
    double prev = r.v(n - 2);
    double result = rate && last < prev ? last : last - prev;
    long interval = r.t(n - 1) - r.t(n - 2);
    if (interval == 0) {
      return null;
    }
    if (rate) {
      result /= interval / 1000.0;
    }
    return result;
  }

  /** Least-squares {slope, intercept} with x in seconds relative to {@code interceptTime}. */
  static double[] regression(Rng r, long interceptTime) {
    double n = 0;
    double[] sx = {0, 0};
    double[] sy = {0, 0};
    double[] sxy = {0, 0};
    double[] sx2 = {0, 0};
    double initY = r.v(0);
    boolean constY = true;
    for (int i = 0; i < r.size(); i++) {
      double y = r.v(i);
      if (constY && i > 0 && y != initY) {
        constY = false;
      }
      n++;
      double x = (r.t(i) - interceptTime) / 1e3;
      sx = FloatMath.kahanInc(x, sx[0], sx[1]);
      sy = FloatMath.kahanInc(y, sy[0], sy[1]);
      sxy = FloatMath.kahanInc(x * y, sxy[0], sxy[1]);
      sx2 = FloatMath.kahanInc(x * x, sx2[0], sx2[1]);
    }
    if (constY) {
      if (Double.isInfinite(initY)) {
        return new double[] {Double.NaN, Double.NaN};
      }
      return new double[] {0, initY};
    }
    double sumX = sx[0] + sx[1];
    double sumY = sy[0] + sy[1];
    double sumXY = sxy[0] + sxy[1];
    double sumX2 = sx2[0] + sx2[1];
    double covXY = sumXY - sumX * sumY / n;
    double varX = sumX2 - sumX * sumX / n;
    double slope = covXY / varX;
    double intercept = sumY / n - slope * sumX / n;
    return new double[] {slope, intercept};
  }

  private static Double smoothing(Rng r, Ctx c) {
    double sf = c.scalars()[1];
    double tf = c.scalars()[2];
    int l = r.size();
    if (l < 2) {
      return null;
    }
    double s0 = 0;
    double s1 = r.v(0);
    double b = r.v(1) - r.v(0);
    for (int i = 1; i < l; i++) {
      double x = sf * r.v(i);
      b = i - 1 == 0 ? b : tf * (s1 - s0) + (1 - tf) * b;
      double y = (1 - sf) * (s1 + b);
      s0 = s1;
      s1 = x + y;
    }
    return s1;
  }
}
