package dev.sextant.query.promql;

import dev.sextant.query.promql.Values.Mat;
import dev.sextant.query.promql.Values.Rng;
import dev.sextant.query.promql.Values.Scalar;
import dev.sextant.query.promql.Values.Smp;
import dev.sextant.query.promql.Values.Str;
import dev.sextant.query.promql.Values.Value;
import dev.sextant.query.promql.Values.Vec;
import dev.sextant.query.promql.parser.Expr;
import dev.sextant.query.promql.parser.ParseException;
import dev.sextant.query.promql.parser.Parser;
import dev.sextant.query.promql.parser.ValueType;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.MetricReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The step-by-step PromQL engine behind {@link PromqlEngine#of}. */
final class DefaultEngine implements PromqlEngine {
  private final MetricReader reader;
  private final EngineOptions options;
  private final boolean fastPaths;

  DefaultEngine(MetricReader reader, EngineOptions options) {
    this(reader, options, true);
  }

  /**
   * With {@code fastPaths} false, every query runs step by step over loaded series: the
   * reference the series-major and streamed paths are tested against.
   */
  DefaultEngine(MetricReader reader, EngineOptions options, boolean fastPaths) {
    this.reader = reader;
    this.options = options;
    this.fastPaths = fastPaths;
  }

  private static Expr parse(String query) {
    try {
      return Parser.parse(query);
    } catch (ParseException e) {
      throw new QueryException(QueryException.Kind.BAD_DATA, e.getMessage(), e);
    }
  }

  private static RuntimeException wrap(RuntimeException e) {
    if (e instanceof QueryException) {
      return e;
    }
    return new QueryException(QueryException.Kind.EXECUTION, String.valueOf(e.getMessage()), e);
  }

  @Override
  public QueryResult instantQuery(String query, long timeMs) {
    Expr expr = parse(query);
    Evaluator ev = new Evaluator(reader, options, query, timeMs, timeMs, 0, fastPaths);
    try {
      ev.load(expr);
      Value v = ev.eval(expr, timeMs);
      List<String> warnings = new ArrayList<>(ev.warnings);
      List<String> infos = new ArrayList<>(ev.infos);
      if (v instanceof Scalar s) {
        return new QueryResult(ValueType.SCALAR, timeMs, s.v(), null, null, null, warnings, infos);
      }
      if (v instanceof Str s) {
        return new QueryResult(ValueType.STRING, timeMs, 0, s.s(), null, null, warnings, infos);
      }
      if (v instanceof Vec vec) {
        List<QueryResult.Sample> out = new ArrayList<>(vec.samples().size());
        Set<Labels> seen = new HashSet<>();
        for (Smp s : vec.samples()) {
          Labels l = s.effectiveLabels();
          if (!seen.add(l)) {
            throw duplicate();
          }
          out.add(new QueryResult.Sample(l, timeMs, s.v()));
        }
        return new QueryResult(ValueType.VECTOR, timeMs, 0, null, out, null, warnings, infos);
      }
      List<QueryResult.Series> out = new ArrayList<>();
      Set<Labels> seen = new HashSet<>();
      for (Rng r : ((Mat) v).series()) {
        Labels l = r.dropName() ? LabelSets.without(r.labels(), Labels.NAME) : r.labels();
        if (!seen.add(l)) {
          throw duplicate();
        }
        out.add(new QueryResult.Series(l, Arrays.copyOfRange(r.ts(), r.from(), r.to()),
            Arrays.copyOfRange(r.vs(), r.from(), r.to())));
      }
      out.sort((a, b) -> a.labels().compareTo(b.labels()));
      return new QueryResult(ValueType.MATRIX, timeMs, 0, null, null, out, warnings, infos);
    } catch (RuntimeException e) {
      throw wrap(e);
    }
  }

  private static QueryException duplicate() {
    return new QueryException(QueryException.Kind.EXECUTION,
        "vector cannot contain metrics with the same labelset");
  }

  @Override
  public QueryResult rangeQuery(String query, long startMs, long endMs, long stepMs) {
    if (stepMs <= 0) {
      throw new QueryException(QueryException.Kind.BAD_DATA,
          "step: " + stepMs + " (expected: > 0)");
    }
    if (endMs < startMs) {
      throw new QueryException(QueryException.Kind.BAD_DATA,
          "end: " + endMs + " (expected: >= start " + startMs + ")");
    }
    Expr expr = parse(query);
    if (expr.type() != ValueType.SCALAR && expr.type() != ValueType.VECTOR) {
      throw new QueryException(QueryException.Kind.BAD_DATA, "invalid expression type \""
          + expr.type().description() + "\" for range query, must be Scalar or instant Vector");
    }
    Evaluator ev = new Evaluator(reader, options, query, startMs, endMs, stepMs, fastPaths);
    try {
      ev.load(expr);
      SeriesMajor sm = ev.seriesMajor(expr);
      List<QueryResult.Series> direct = sm == null ? null : sm.matrix(ev);
      if (direct != null) {
        return new QueryResult(ValueType.MATRIX, endMs, 0, null, null, direct,
            new ArrayList<>(ev.warnings), new ArrayList<>(ev.infos));
      }
      Map<Labels, Acc> series = new HashMap<>();
      int steps = (int) ((endMs - startMs) / stepMs) + 1;
      for (long t = startMs; t <= endMs; t += stepMs) {
        Value v = ev.eval(expr, t);
        if (v instanceof Scalar s) {
          series.computeIfAbsent(Labels.EMPTY, k -> new Acc(steps)).add(t, s.v());
          ev.addSamples(1);
          continue;
        }
        List<Smp> samples = ((Vec) v).samples();
        for (Smp s : samples) {
          Acc acc = series.computeIfAbsent(ev.effectiveLabels(s), k -> new Acc(steps));
          if (acc.n > 0 && acc.ts[acc.n - 1] == t) {
            throw duplicate();
          }
          acc.add(t, s.v());
        }
        ev.addSamples(samples.size());
      }
      List<Map.Entry<Labels, Acc>> sorted = new ArrayList<>(series.entrySet());
      sorted.sort(Map.Entry.comparingByKey());
      List<QueryResult.Series> out = new ArrayList<>(series.size());
      for (Map.Entry<Labels, Acc> e : sorted) {
        Acc a = e.getValue();
        out.add(new QueryResult.Series(e.getKey(), Arrays.copyOf(a.ts, a.n),
            Arrays.copyOf(a.vs, a.n)));
      }
      return new QueryResult(ValueType.MATRIX, endMs, 0, null, null, out,
          new ArrayList<>(ev.warnings), new ArrayList<>(ev.infos));
    } catch (RuntimeException e) {
      throw wrap(e);
    }
  }

  private static final class Acc {
    long[] ts;
    double[] vs;
    int n;

    Acc(int steps) {
      int cap = Math.min(steps, 64);
      ts = new long[cap];
      vs = new double[cap];
    }

    void add(long t, double v) {
      if (n == ts.length) {
        ts = Arrays.copyOf(ts, n * 2);
        vs = Arrays.copyOf(vs, n * 2);
      }
      ts[n] = t;
      vs[n++] = v;
    }
  }
}
