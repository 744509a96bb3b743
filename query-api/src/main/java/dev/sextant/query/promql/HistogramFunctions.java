package dev.sextant.query.promql;

import dev.sextant.query.promql.FunctionImpls.Fn;
import dev.sextant.query.promql.Values.Smp;
import dev.sextant.query.promql.Values.Str;
import dev.sextant.query.promql.Values.Value;
import dev.sextant.query.promql.Values.Vec;
import dev.sextant.query.promql.parser.Expr.Call;
import dev.sextant.query.promql.parser.Expr;
import dev.sextant.storage.metrics.Labels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** histogram_quantile(s) and histogram_fraction over classic {@code le} buckets. */
final class HistogramFunctions {
  private static final double SMALL_DELTA = 1e-12;

  private HistogramFunctions() {}

  record Bucket(double upper, double count) {}

  private record Group(Smp first, List<Bucket> buckets) {}

  static void register(Map<String, Fn> table) {
    table.put("histogram_quantile", (ev, c, t) -> {
      double q = ev.evalScalar(c.args().get(0), t);
      checkQuantile(ev, q, c.args().get(0));
      List<Smp> out = new ArrayList<>();
      for (Group g : groups(ev, c.args().get(1), t)) {
        double v = quantile(ev, q, g, c.args().get(1));
        out.add(new Smp(g.first().labels(), v, t, true));
      }
      return new Vec(out);
    });
    table.put("histogram_quantiles", HistogramFunctions::quantiles);
    table.put("histogram_fraction", (ev, c, t) -> {
      double lower = ev.evalScalar(c.args().get(0), t);
      double upper = ev.evalScalar(c.args().get(1), t);
      List<Smp> out = new ArrayList<>();
      for (Group g : groups(ev, c.args().get(2), t)) {
        out.add(new Smp(g.first().labels(), fraction(lower, upper, g.buckets()), t, true));
      }
      return new Vec(out);
    });
  }

  private static Value quantiles(Evaluator ev, Call c, long t) {
    String label = ((Str) ev.eval(c.args().get(1), t)).s();
    double[] qs = new double[c.args().size() - 2];
    for (int i = 0; i < qs.length; i++) {
      qs[i] = ev.evalScalar(c.args().get(i + 2), t);
      checkQuantile(ev, qs[i], c.args().get(i + 2));
    }
    List<Smp> out = new ArrayList<>();
    for (Group g : groups(ev, c.args().get(0), t)) {
      if (g.first().labels().has(label)) {
        throw new QueryException(QueryException.Kind.EXECUTION, "label \"" + label
            + "\" already exists in the input vector");
      }
      for (double q : qs) {
        double v = quantile(ev, q, g, c.args().get(0));
        Labels l = LabelSets.with(g.first().labels(), label, formatQuantileLabel(q));
        out.add(new Smp(l, v, t, true));
      }
    }
    return new Vec(out);
  }

  private static String formatQuantileLabel(double q) {
    String s = FloatMath.formatPlain(q);
    if (!Double.isNaN(q) && !Double.isInfinite(q) && !s.contains(".") && !s.contains("e")) {
      s += ".0";
    }
    return s;
  }

  private static void checkQuantile(Evaluator ev, double q, Expr at) {
    if (Double.isNaN(q) || q < 0 || q > 1) {
      ev.warn("quantile value should be between 0 and 1, got " + FloatMath.formatPlain(q), at);
    }
  }

  private static List<Group> groups(Evaluator ev, Expr arg, long t) {
    Map<Labels, Group> groups = new LinkedHashMap<>();
    for (Smp s : ev.evalVector(arg, t)) {
      String le = s.labels().get("le");
      double upper = parseGoFloat(le);
      if (Double.isNaN(upper)) {
        ev.warn("bucket label \"le\" is missing or has a malformed value of \"" + le
            + "\" for metric name \"" + s.labels().get(Labels.NAME) + "\"", arg);
        continue;
      }
      Labels key = LabelSets.without(s.labels(), "le");
      Group g = groups.get(key);
      if (g == null) {
        g = new Group(new Smp(key, 0, t, true), new ArrayList<>());
        groups.put(key, g);
      }
      g.buckets().add(new Bucket(upper, s.v()));
    }
    return new ArrayList<>(groups.values());
  }

  /** Go's strconv.ParseFloat for bucket bounds; NaN when malformed. */
  static double parseGoFloat(String s) {
    String l = s.toLowerCase(Locale.ROOT);
    switch (l) {
      case "+inf", "inf", "+infinity", "infinity" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-inf", "-infinity" -> {
        return Double.NEGATIVE_INFINITY;
      }
      default -> { }
    }
    if (s.isEmpty() || l.endsWith("d") || l.endsWith("f") || !s.strip().equals(s)
        || l.contains("nan") || l.contains("infinity")) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static double quantile(Evaluator ev, double q, Group g, Expr arg) {
    if (Double.isNaN(q)) {
      return Double.NaN;
    }
    if (q < 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (q > 1) {
      return Double.POSITIVE_INFINITY;
    }
    List<Bucket> b = prepared(g.buckets());
    if (b == null) {
      return Double.NaN;
    }
    double[] counts = new double[b.size()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = b.get(i).count();
    }
    boolean forced = false;
    double prev = counts[0];
    for (int i = 1; i < counts.length; i++) {
      double cur = counts[i];
      if (cur == prev) {
        continue;
      }
      if (FloatMath.almostEqual(prev, cur, SMALL_DELTA)) {
        counts[i] = prev;
        continue;
      }
      if (cur < prev) {
        counts[i] = prev;
        forced = true;
        continue;
      }
      prev = cur;
    }
    if (forced) {
      ev.info("input to histogram_quantile needed to be fixed for monotonicity (see "
          + "https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) "
          + "for metric name \"" + g.first().labels().get(Labels.NAME) + "\"", arg);
    }
    int n = counts.length;
    if (n < 2) {
      return Double.NaN;
    }
    double observations = counts[n - 1];
    if (observations == 0) {
      return Double.NaN;
    }
    double rank = q * observations;
    int idx = 0;
    while (idx < n - 1 && counts[idx] < rank) {
      idx++;
    }
    if (idx == n - 1) {
      return b.get(n - 2).upper();
    }
    if (idx == 0 && b.get(0).upper() <= 0) {
      return b.get(0).upper();
    }
    double bucketStart = 0;
    double bucketEnd = b.get(idx).upper();
    double count = counts[idx];
    if (idx > 0) {
      bucketStart = b.get(idx - 1).upper();
      count -= counts[idx - 1];
      rank -= counts[idx - 1];
    }
    return bucketStart + (bucketEnd - bucketStart) * (rank / count);
  }

  /** Sorted, coalesced buckets; null if the highest bucket isn't +Inf. */
  private static List<Bucket> prepared(List<Bucket> in) {
    List<Bucket> b = new ArrayList<>(in);
    b.sort((x, y) -> Double.compare(x.upper(), y.upper()));
    if (b.isEmpty() || b.get(b.size() - 1).upper() != Double.POSITIVE_INFINITY) {
      return null;
    }
    List<Bucket> out = new ArrayList<>();
    Bucket last = b.get(0);
    for (int i = 1; i < b.size(); i++) {
      Bucket x = b.get(i);
      if (x.upper() == last.upper()) {
        last = new Bucket(last.upper(), last.count() + x.count());
      } else {
        out.add(last);
        last = x;
      }
    }
    out.add(last);
    return out;
  }

  private static double fraction(double lower, double upper, List<Bucket> in) {
    List<Bucket> b = prepared(in);
    if (b == null) {
      return Double.NaN;
    }
    double count = b.get(b.size() - 1).count();
    if (count == 0 || Double.isNaN(lower) || Double.isNaN(upper)) {
      return Double.NaN;
    }
    if (lower >= upper) {
      return 0;
    }
    double rank = 0;
    double lowerRank = 0;
    double upperRank = 0;
    boolean lowerSet = false;
    boolean upperSet = false;
    for (int i = 0; i < b.size(); i++) {
      double lowerBound = i > 0 ? b.get(i - 1).upper()
          : (b.get(0).upper() > 0 ? 0 : Double.NEGATIVE_INFINITY);
      double upperBound = b.get(i).upper();
      double bc = b.get(i).count();
      if (!lowerSet && lowerBound >= lower) {
        lowerRank = rank;
        lowerSet = true;
      }
      if (!upperSet && lowerBound >= upper) {
        upperRank = rank;
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      if (!lowerSet && lowerBound < lower && upperBound > lower) {
        lowerRank = interpolate(rank, bc, lower, lowerBound, upperBound);
        lowerSet = true;
      }
      if (!upperSet && lowerBound < upper && upperBound > upper) {
        upperRank = interpolate(rank, bc, upper, lowerBound, upperBound);
        upperSet = true;
      }
      if (lowerSet && upperSet) {
        break;
      }
      rank = bc;
    }
    if (!lowerSet || lowerRank > count) {
      lowerRank = count;
    }
    if (!upperSet || upperRank > count) {
      upperRank = count;
    }
    return (upperRank - lowerRank) / count;
  }

  private static double interpolate(double rank, double count, double v, double lo, double hi) {
    if (Double.isInfinite(lo) || Double.isInfinite(hi)) {
      // The open-ended first and last buckets can't be interpolated into.
      return Double.isInfinite(hi) ? rank : count;
    }
    return rank + (count - rank) * (v - lo) / (hi - lo);
  }
}
