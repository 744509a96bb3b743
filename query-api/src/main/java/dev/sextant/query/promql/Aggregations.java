package dev.sextant.query.promql;

import dev.sextant.query.promql.Values.Smp;
import dev.sextant.query.promql.Values.Str;
import dev.sextant.query.promql.Values.Value;
import dev.sextant.query.promql.Values.Vec;
import dev.sextant.query.promql.parser.AggOp;
import dev.sextant.query.promql.parser.Expr.Aggregate;
import dev.sextant.storage.metrics.Labels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Aggregation operators (sum, avg, topk, quantile, count_values, limitk, ...). */
final class Aggregations {
  private Aggregations() {}

  static Value eval(Evaluator ev, Aggregate a, long t) {
    double param = Double.NaN;
    String label = null;
    if (a.param() != null) {
      Value pv = ev.eval(a.param(), t);
      if (pv instanceof Str s) {
        label = s.s();
      } else {
        param = ((Values.Scalar) pv).v();
      }
    }
    List<Smp> in = ev.evalVector(a.expr(), t);
    AggOp op = a.op();
    if (op == AggOp.TOPK || op == AggOp.BOTTOMK || op == AggOp.LIMITK) {
      if (Double.isNaN(param)) {
        throw new QueryException(QueryException.Kind.EXECUTION, "Parameter value is NaN");
      }
    }
    if (op == AggOp.LIMIT_RATIO) {
      if (Double.isNaN(param)) {
        throw new QueryException(QueryException.Kind.EXECUTION, "Ratio value is NaN");
      }
      if (param > 1 || param < -1) {
        double capped = param > 1 ? 1 : -1;
        ev.warn("ratio value should be between -1 and 1, got " + FloatMath.formatPlain(param)
            + ", capping to " + FloatMath.formatPlain(capped), a.param());
        param = capped;
      }
    }
    if (op == AggOp.QUANTILE && (Double.isNaN(param) || param < 0 || param > 1)) {
      ev.warn("quantile value should be between 0 and 1, got " + FloatMath.formatPlain(param),
          a.param());
    }
    if (op == AggOp.COUNT_VALUES && !LabelArguments.validLabelName(label)) {
      throw new QueryException(QueryException.Kind.EXECUTION,
          "invalid label name " + LabelArguments.goQuote(label));
    }
    Map<Labels, List<Smp>> groups = new LinkedHashMap<>();
    Map<Labels, Labels> keys = ev.labelCache(a);
    // by (one label): the group follows from that label's value alone; a map of a few values
    // stays in cache where a per-series map of thousands does not.
    String only = !a.without() && a.grouping().size() == 1 ? a.grouping().get(0) : null;
    Map<String, Labels> byValue = only != null ? new HashMap<>() : null;
    for (Smp s : in) {
      // Grouping sees a pending-drop __name__ (Prometheus's delayed name removal does too).
      Labels key = only != null
          ? byValue.computeIfAbsent(s.labels().get(only),
              v -> v.isEmpty() ? Labels.EMPTY : Labels.of(only, v))
          : keys.computeIfAbsent(s.labels(), l -> a.without()
              ? LabelSets.withoutAll(l, a.grouping(), true) : LabelSets.keepOnly(l, a.grouping()));
      if (op == AggOp.COUNT_VALUES) {
        key = LabelSets.with(key, label, FloatMath.formatPlain(s.v()));
      }
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
    }
    List<Smp> out = new ArrayList<>();
    for (Map.Entry<Labels, List<Smp>> g : groups.entrySet()) {
      List<Smp> ss = g.getValue();
      switch (op) {
        case TOPK, BOTTOMK -> out.addAll(topk(ss, param, op == AggOp.TOPK));
        case LIMITK -> {
          long k = clampK(param);
          for (int i = 0; i < ss.size() && i < k; i++) {
            out.add(ss.get(i));
          }
        }
        case LIMIT_RATIO -> {
          for (Smp s : ss) {
            if (ratioIncluded(s.labels(), param)) {
              out.add(s);
            }
          }
        }
        default -> {
          boolean drop = false;
          for (Smp s : ss) {
            drop |= s.dropName();
          }
          out.add(new Smp(g.getKey(), simple(op, ss, param), t, drop));
        }
      }
    }
    return new Vec(out);
  }

  private static long clampK(double k) {
    if (k >= 9.2e18) {
      return Long.MAX_VALUE;
    }
    return k < 1 ? 0 : (long) k;
  }

  private static List<Smp> topk(List<Smp> ss, double param, boolean top) {
    long k = clampK(param);
    if (k == 0) {
      return List.of();
    }
    Comparator<Smp> byValue = (x, y) -> {
      boolean xn = Double.isNaN(x.v());
      boolean yn = Double.isNaN(y.v());
      if (xn || yn) {
        return Boolean.compare(xn, yn);
      }
      return top ? Double.compare(y.v(), x.v()) : Double.compare(x.v(), y.v());
    };
    List<Smp> sorted = new ArrayList<>(ss);
    sorted.sort(byValue);
    return sorted.subList(0, (int) Math.min(k, sorted.size()));
  }

  static boolean ratioIncluded(Labels l, double r) {
    // A hash of its own, not Labels.hashCode(): which series a ratio keeps must not change when
    // the in-memory hash does.
    int legacy = 1;
    for (int i = 0; i < l.size(); i++) {
      legacy = 31 * (31 * legacy + l.name(i).hashCode()) + l.value(i).hashCode();
    }
    long h = legacy * 0x9E3779B97F4A7C15L;
    h ^= (h >>> 31);
    h *= 0xBF58476D1CE4E5B9L;
    h ^= (h >>> 29);
    double offset = (h >>> 11) / (double) (1L << 53);
    return (r >= 0 && offset < r) || (r < 0 && offset >= 1 + r);
  }

  private static double simple(AggOp op, List<Smp> ss, double param) {
    int n = ss.size();
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = ss.get(i).v();
    }
    return switch (op) {
      case SUM -> FloatMath.sum(v, n);
      case AVG -> FloatMath.mean(v, n);
      case COUNT, COUNT_VALUES -> n;
      case GROUP -> 1;
      case MIN -> {
        double m = v[0];
        for (double x : v) {
          if (m > x || Double.isNaN(m)) {
            m = x;
          }
        }
        yield m;
      }
      case MAX -> {
        double m = v[0];
        for (double x : v) {
          if (m < x || Double.isNaN(m)) {
            m = x;
          }
        }
        yield m;
      }
      case STDVAR -> FloatMath.variance(v, n);
      case STDDEV -> Math.sqrt(FloatMath.variance(v, n));
      case QUANTILE -> FloatMath.quantile(param, v);
      default -> throw new IllegalStateException(op.toString());
    };
  }
}
