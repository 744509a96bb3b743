package dev.sextant.query.promql;

import dev.sextant.query.promql.Values.Mat;
import dev.sextant.query.promql.Values.Rng;
import dev.sextant.query.promql.Values.Scalar;
import dev.sextant.query.promql.Values.Smp;
import dev.sextant.query.promql.Values.Str;
import dev.sextant.query.promql.Values.Value;
import dev.sextant.query.promql.Values.Vec;
import dev.sextant.query.promql.parser.Expr.Call;
import dev.sextant.query.promql.parser.Expr.MatrixSelector;
import dev.sextant.query.promql.parser.Expr.Paren;
import dev.sextant.query.promql.parser.Expr.VectorSelector;
import dev.sextant.query.promql.parser.Expr;
import dev.sextant.query.promql.parser.Functions;
import dev.sextant.storage.metrics.InvalidRegexException;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.UserRegex;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToIntFunction;

/** The implementation table: one body per entry of the parser's {@link Functions} table. */
final class FunctionImpls {
  interface Fn {
    Value apply(Evaluator ev, Call c, long t);
  }

  private static final Map<String, Fn> TABLE = new HashMap<>();

  static {
    math("abs", Math::abs);
    math("ceil", Math::ceil);
    math("floor", Math::floor);
    math("exp", Math::exp);
    math("ln", Math::log);
    math("log2", FloatMath::log2);
    math("log10", Math::log10);
    math("sqrt", Math::sqrt);
    math("sgn", Math::signum);
    math("acos", Math::acos);
    math("asin", Math::asin);
    math("atan", Math::atan);
    math("cos", Math::cos);
    math("cosh", Math::cosh);
    math("sin", Math::sin);
    math("sinh", Math::sinh);
    math("tan", Math::tan);
    math("tanh", Math::tanh);
    math("acosh", x -> Math.log(x + Math.sqrt(x * x - 1)));
    math("asinh", x -> Double.isInfinite(x) ? x
        : Math.signum(x) * Math.log(Math.abs(x) + Math.sqrt(x * x + 1)));
    math("atanh", x -> 0.5 * Math.log((1 + x) / (1 - x)));
    math("deg", x -> x * 180 / Math.PI);
    math("rad", x -> x * Math.PI / 180);
    date("day_of_month", ZonedDateTime::getDayOfMonth);
    date("day_of_week", d -> d.getDayOfWeek().getValue() % 7);
    date("day_of_year", ZonedDateTime::getDayOfYear);
    date("days_in_month", d -> d.toLocalDate().lengthOfMonth());
    date("hour", ZonedDateTime::getHour);
    date("minute", ZonedDateTime::getMinute);
    date("month", ZonedDateTime::getMonthValue);
    date("year", ZonedDateTime::getYear);
    for (String h : List.of("histogram_count", "histogram_sum", "histogram_avg",
        "histogram_stddev", "histogram_stdvar")) {
      // Float samples are not native histograms: these functions ignore them.
      TABLE.put(h, (ev, c, t) -> {
        ev.evalVector(c.args().get(0), t);
        return new Vec(List.of());
      });
    }
    TABLE.put("time", (ev, c, t) -> new Scalar(t / 1000.0));
    TABLE.put("pi", (ev, c, t) -> new Scalar(Math.PI));
    TABLE.put("step", (ev, c, t) -> new Scalar(ev.step / 1000.0));
    TABLE.put("range", (ev, c, t) -> new Scalar((ev.end - ev.start) / 1000.0));
    TABLE.put("start", (ev, c, t) -> new Scalar(ev.start / 1000.0));
    TABLE.put("end", (ev, c, t) -> new Scalar(ev.end / 1000.0));
    TABLE.put("min_of", (ev, c, t) -> new Scalar(Math.min(ev.evalScalar(c.args().get(0), t),
        ev.evalScalar(c.args().get(1), t))));
    TABLE.put("max_of", (ev, c, t) -> new Scalar(Math.max(ev.evalScalar(c.args().get(0), t),
        ev.evalScalar(c.args().get(1), t))));
    TABLE.put("vector", (ev, c, t) -> new Vec(List.of(
        new Smp(Labels.EMPTY, ev.evalScalar(c.args().get(0), t), t, false))));
    TABLE.put("scalar", (ev, c, t) -> {
      List<Smp> v = ev.evalVector(c.args().get(0), t);
      return new Scalar(v.size() == 1 ? v.get(0).v() : Double.NaN);
    });
    TABLE.put("timestamp", (ev, c, t) -> {
      boolean selector = unwrap(c.args().get(0)) instanceof VectorSelector;
      List<Smp> out = new ArrayList<>();
      for (Smp s : ev.evalVector(c.args().get(0), t)) {
        out.add(s.dropping((selector ? s.ts() : t) / 1000.0, t));
      }
      return new Vec(out);
    });
    TABLE.put("clamp", (ev, c, t) -> {
      List<Smp> v = ev.evalVector(c.args().get(0), t);
      double min = ev.evalScalar(c.args().get(1), t);
      double max = ev.evalScalar(c.args().get(2), t);
      if (max < min) {
        return new Vec(List.of());
      }
      return mapValues(v, x -> Math.max(min, Math.min(max, x)), t);
    });
    TABLE.put("clamp_min", (ev, c, t) -> {
      List<Smp> v = ev.evalVector(c.args().get(0), t);
      double min = ev.evalScalar(c.args().get(1), t);
      return mapValues(v, x -> Math.max(min, x), t);
    });
    TABLE.put("clamp_max", (ev, c, t) -> {
      List<Smp> v = ev.evalVector(c.args().get(0), t);
      double max = ev.evalScalar(c.args().get(1), t);
      return mapValues(v, x -> Math.min(max, x), t);
    });
    TABLE.put("round", (ev, c, t) -> {
      List<Smp> v = ev.evalVector(c.args().get(0), t);
      double to = c.args().size() > 1 ? ev.evalScalar(c.args().get(1), t) : 1;
      double inv = 1 / to;
      return mapValues(v, x -> Math.floor(x * inv + 0.5) / inv, t);
    });
    TABLE.put("absent", (ev, c, t) -> {
      if (!ev.evalVector(c.args().get(0), t).isEmpty()) {
        return new Vec(List.of());
      }
      return new Vec(List.of(new Smp(absentLabels(c.args().get(0)), 1, t, false)));
    });
    TABLE.put("sort", (ev, c, t) -> sort(ev, c, t, false));
    TABLE.put("sort_desc", (ev, c, t) -> sort(ev, c, t, true));
    TABLE.put("sort_by_label", (ev, c, t) -> sortByLabel(ev, c, t, false));
    TABLE.put("sort_by_label_desc", (ev, c, t) -> sortByLabel(ev, c, t, true));
    TABLE.put("label_replace", FunctionImpls::labelReplace);
    TABLE.put("label_join", FunctionImpls::labelJoin);
    RangeFunctions.register(TABLE);
    HistogramFunctions.register(TABLE);
    for (String name : Functions.all().keySet()) {
      if (!TABLE.containsKey(name)) {
        throw new IllegalStateException("no implementation for function " + name);
      }
    }
  }

  private FunctionImpls() {}

  /** Forces the table (and with it {@link RangeFunctions#simple}) to be filled. */
  static void init() {}

  static Value call(Evaluator ev, Call c, long t) {
    return TABLE.get(c.func().name()).apply(ev, c, t);
  }

  static Expr unwrap(Expr e) {
    while (e instanceof Paren p) {
      e = p.expr();
    }
    return e;
  }

  private static void math(String name, DoubleUnaryOperator f) {
    TABLE.put(name, (ev, c, t) -> mapValues(ev.evalVector(c.args().get(0), t), f, t));
  }

  static Vec mapValues(List<Smp> in, DoubleUnaryOperator f, long t) {
    List<Smp> out = new ArrayList<>(in.size());
    for (Smp s : in) {
      out.add(s.dropping(f.applyAsDouble(s.v()), t));
    }
    return new Vec(out);
  }

  private static void date(String name, ToIntFunction<ZonedDateTime> f) {
    TABLE.put(name, (ev, c, t) -> {
      List<Smp> in = c.args().isEmpty()
          ? List.of(new Smp(Labels.EMPTY, t / 1000.0, t, false))
          : ev.evalVector(c.args().get(0), t);
      List<Smp> out = new ArrayList<>(in.size());
      for (Smp s : in) {
        double v = s.v();
        if (Double.isNaN(v) || Double.isInfinite(v)) {
          out.add(s.dropping(v, t));
          continue;
        }
        long ms = (long) (v * 1000);
        ZonedDateTime d = Instant.ofEpochMilli(Math.floorDiv(ms, 1000) * 1000)
            .atZone(ZoneOffset.UTC);
        out.add(s.dropping(f.applyAsInt(d), t));
      }
      return new Vec(out);
    });
  }

  static Labels absentLabels(Expr arg) {
    arg = unwrap(arg);
    List<LabelMatcher> matchers;
    if (arg instanceof VectorSelector vs) {
      matchers = vs.allMatchers();
    } else if (arg instanceof MatrixSelector ms) {
      matchers = ms.selector().allMatchers();
    } else if (arg instanceof Expr.Subquery sq && unwrap(sq.expr()) instanceof VectorSelector vs) {
      matchers = vs.allMatchers();
    } else {
      return Labels.EMPTY;
    }
    TreeMap<String, String> m = new TreeMap<>();
    Set<String> seen = new HashSet<>();
    for (LabelMatcher lm : matchers) {
      if (lm.name().equals(Labels.NAME)) {
        continue;
      }
      if (lm.type() == LabelMatcher.Type.EQ && !seen.contains(lm.name())) {
        m.put(lm.name(), lm.value());
      } else {
        m.remove(lm.name());
      }
      seen.add(lm.name());
    }
    return Labels.of(m);
  }

  private static Value sort(Evaluator ev, Call c, long t, boolean desc) {
    if (ev.start != ev.end) {
      ev.warn("sort is ineffective for range queries since results are always ordered by labels",
          c);
    }
    List<Smp> v = new ArrayList<>(ev.evalVector(c.args().get(0), t));
    v.sort((a, b) -> {
      boolean an = Double.isNaN(a.v());
      boolean bn = Double.isNaN(b.v());
      if (an || bn) {
        return Boolean.compare(an, bn);
      }
      return desc ? Double.compare(b.v(), a.v()) : Double.compare(a.v(), b.v());
    });
    return new Vec(v);
  }

  private static Value sortByLabel(Evaluator ev, Call c, long t, boolean desc) {
    if (ev.start != ev.end) {
      ev.warn("sort is ineffective for range queries since results are always ordered by labels",
          c);
    }
    List<Smp> v = new ArrayList<>(ev.evalVector(c.args().get(0), t));
    List<String> names = new ArrayList<>();
    for (int i = 1; i < c.args().size(); i++) {
      names.add(((Str) ev.eval(c.args().get(i), t)).s());
    }
    v.sort((a, b) -> {
      for (String n : names) {
        int r = NaturalOrder.compare(a.labels().get(n), b.labels().get(n));
        if (r != 0) {
          return desc ? -r : r;
        }
      }
      int r = a.labels().compareTo(b.labels());
      return desc ? -r : r;
    });
    return new Vec(v);
  }

  private static Value labelReplace(Evaluator ev, Call c, long t) {
    List<Smp> in = ev.evalVector(c.args().get(0), t);
    String dst = ((Str) ev.eval(c.args().get(1), t)).s();
    String repl = ((Str) ev.eval(c.args().get(2), t)).s();
    String src = ((Str) ev.eval(c.args().get(3), t)).s();
    String regex = ((Str) ev.eval(c.args().get(4), t)).s();
    UserRegex p;
    try {
      p = ev.labelRegex(regex);
    } catch (InvalidRegexException e) {
      // Prometheus answers 422 ("invalid regular expression in label_replace(): (.*"); the
      // query itself is bad, so 400 here, as for a bad regex in a selector.
      throw new QueryException(QueryException.Kind.BAD_DATA,
          "invalid regular expression in label_replace(): " + e.quotedRegex() + ": "
              + e.problem(), e);
    }
    if (!LabelArguments.validLabelName(dst)) {
      throw new QueryException(QueryException.Kind.EXECUTION,
          "invalid destination label name in label_replace(): " + dst);
    }
    List<Smp> out = new ArrayList<>(in.size());
    for (Smp s : in) {
      String value = p.expandIfMatches(s.labels().get(src), repl);
      if (value == null) {
        out.add(s);
        continue;
      }
      Labels l = LabelSets.with(s.labels(), dst, value);
      boolean drop = s.dropName() && !dst.equals(Labels.NAME);
      out.add(new Smp(l, s.v(), s.ts(), drop));
    }
    checkDuplicates(out);
    return new Vec(out);
  }

  private static Value labelJoin(Evaluator ev, Call c, long t) {
    List<Smp> in = ev.evalVector(c.args().get(0), t);
    String dst = ((Str) ev.eval(c.args().get(1), t)).s();
    String sep = ((Str) ev.eval(c.args().get(2), t)).s();
    List<String> srcs = new ArrayList<>();
    for (int i = 3; i < c.args().size(); i++) {
      String src = ((Str) ev.eval(c.args().get(i), t)).s();
      if (!LabelArguments.validLabelName(src)) {
        throw new QueryException(QueryException.Kind.EXECUTION,
            "invalid source label name in label_join(): " + src);
      }
      srcs.add(src);
    }
    if (!LabelArguments.validLabelName(dst)) {
      throw new QueryException(QueryException.Kind.EXECUTION,
          "invalid destination label name in label_join(): " + dst);
    }
    List<Smp> out = new ArrayList<>(in.size());
    for (Smp s : in) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < srcs.size(); i++) {
        if (i > 0) {
          sb.append(sep);
        }
        sb.append(s.labels().get(srcs.get(i)));
      }
      Labels l = LabelSets.with(s.labels(), dst, sb.toString());
      boolean drop = s.dropName() && !dst.equals(Labels.NAME);
      out.add(new Smp(l, s.v(), s.ts(), drop));
    }
    checkDuplicates(out);
    return new Vec(out);
  }

  static void checkDuplicates(List<Smp> v) {
    Set<Labels> seen = new HashSet<>();
    for (Smp s : v) {
      if (!seen.add(s.effectiveLabels())) {
        throw new QueryException(QueryException.Kind.EXECUTION,
            "vector cannot contain metrics with the same labelset");
      }
    }
  }

  static Mat evalMatrix(Evaluator ev, Expr e, long t) {
    return (Mat) ev.eval(e, t);
  }

  static List<Rng> series(Value v) {
    return ((Mat) v).series();
  }
}
