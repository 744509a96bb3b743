package dev.sextant.query.promql;

import dev.sextant.query.promql.Values.Mat;
import dev.sextant.query.promql.Values.Rng;
import dev.sextant.query.promql.Values.Scalar;
import dev.sextant.query.promql.Values.Smp;
import dev.sextant.query.promql.Values.Str;
import dev.sextant.query.promql.Values.Value;
import dev.sextant.query.promql.Values.Vec;
import dev.sextant.query.promql.parser.Expr.Aggregate;
import dev.sextant.query.promql.parser.Expr.At;
import dev.sextant.query.promql.parser.Expr.Binary;
import dev.sextant.query.promql.parser.Expr.Call;
import dev.sextant.query.promql.parser.Expr.MatrixSelector;
import dev.sextant.query.promql.parser.Expr.NumberLiteral;
import dev.sextant.query.promql.parser.Expr.Paren;
import dev.sextant.query.promql.parser.Expr.StringLiteral;
import dev.sextant.query.promql.parser.Expr.Subquery;
import dev.sextant.query.promql.parser.Expr.Unary;
import dev.sextant.query.promql.parser.Expr.VectorSelector;
import dev.sextant.query.promql.parser.Expr;
import dev.sextant.storage.metrics.InvalidRegexException;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.MetricReader;
import dev.sextant.storage.metrics.SampleIterator;
import dev.sextant.storage.metrics.Series;
import dev.sextant.storage.metrics.StaleMarker;
import dev.sextant.storage.metrics.UserRegex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Evaluates one query: pre-loads every selector's data, then evaluates step by step. */
final class Evaluator {
  /** One stored series: all points, and the non-stale points used by range selectors. */
  record Loaded(Labels labels, long[] ts, double[] vs, long[] rts, double[] rvs, int[] hints) {
    /** The labels without {@code __name__} (computed once per Labels instance, then cached). */
    Labels noName() {
      return labels.withoutName();
    }
  }

  final long start;
  final long end;
  final long step;
  final String query;
  private final MetricReader reader;
  private final EngineOptions options;
  private final long lookback;

  /** The lookback delta in ms. */
  long lookback() {
    return lookback;
  }
  private final long deadlineNanos;
  private final Map<Expr, long[]> ranges = new IdentityHashMap<>();
  private final Map<Expr, List<Loaded>> data = new IdentityHashMap<>();
  final Set<String> warnings = new LinkedHashSet<>();
  final Set<String> infos = new LinkedHashSet<>();
  private final Map<Object, Map<Labels, Labels>> labelCaches = new IdentityHashMap<>();
  private long samples;
  private int checks;
  private final boolean fastPaths;

  Evaluator(MetricReader reader, EngineOptions options, String query, long start, long end,
      long step, boolean fastPaths) {
    this.fastPaths = fastPaths;
    this.reader = reader;
    this.options = options;
    this.query = query;
    this.start = start;
    this.end = end;
    this.step = step;
    this.lookback = options.lookbackDelta().toMillis();
    this.deadlineNanos = System.nanoTime() + options.timeout().toNanos();
  }

  // ---- annotations

  String position(Expr e) {
    int line = 1;
    int col = 1;
    int pos = e.pos().start();
    for (int i = 0; i < pos && i < query.length(); i++) {
      if (query.charAt(i) == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    return " (" + line + ":" + col + ")";
  }

  private final Map<Expr, Set<String>> seenKeys = new IdentityHashMap<>();

  /** True the first time {@code key} is seen for {@code node} in this query. */
  boolean firstTime(Expr node, String key) {
    return seenKeys.computeIfAbsent(node, k -> new HashSet<>()).add(key);
  }

  void warn(String msg, Expr at) {
    warnings.add("PromQL warning: " + msg + position(at));
  }

  void info(String msg, Expr at) {
    infos.add("PromQL info: " + msg + position(at));
  }

  /**
   * A per-query cache of derived label sets for {@code owner} (an AST node): series keep their
   * Labels instance from step to step, so each derivation is computed once per series.
   */
  Map<Labels, Labels> labelCache(Object owner) {
    // Keyed by identity: hashing Labels means hashing every string, and the weak polynomial
    // hash of label sets like {job="job-3", instance="inst-13"} collides a lot. A series whose
    // Labels instance changes every step only misses; the bound keeps such misses from piling up.
    Map<Labels, Labels> m = labelCaches.computeIfAbsent(owner, k -> new IdentityHashMap<>());
    if (m.size() > MAX_CACHED_LABELS) {
      m.clear();
    }
    return m;
  }

  private static final int MAX_CACHED_LABELS = 1 << 18;

  private final Map<String, UserRegex> regexes = new HashMap<>();

  /**
   * {@code regex} compiled as a label regex (RE2, fully anchored), once per query: functions
   * like label_replace evaluate their arguments at every step.
   *
   * @throws InvalidRegexException when it is not RE2 or over a limit
   */
  UserRegex labelRegex(String regex) {
    UserRegex r = regexes.get(regex);
    if (r == null) {
      r = UserRegex.anchored(regex);
      regexes.put(regex, r);
    }
    return r;
  }

  Labels effectiveLabels(Smp s) {
    if (!s.dropName()) {
      return s.labels();
    }
    if (s.noName() != null) {
      return s.noName();
    }
    return s.labels().withoutName(); // cached in the Labels instance
  }

  // ---- limits

  void checkLimits() {
    if ((++checks & 63) != 0) {
      return;
    }
    checkDeadline();
  }

  /**
   * Throws when the query was canceled or its timeout passed. Storage also calls it while it
   * tests label values against regex matchers and reads series, so a long select stops too.
   */
  void checkDeadline() {
    if (Thread.currentThread().isInterrupted()) {
      throw new QueryException(QueryException.Kind.CANCELED, "query was canceled");
    }
    if (System.nanoTime() - deadlineNanos > 0) {
      throw new QueryException(QueryException.Kind.TIMEOUT,
          "query timed out in query execution (timeout: " + options.timeout() + ")");
    }
  }

  void addSamples(long n) {
    samples += n;
    if (samples > options.maxSamples()) {
      throw new QueryException(QueryException.Kind.EXECUTION,
          "query processing would load too many samples into memory in query execution "
              + "(maxSamples: " + options.maxSamples() + ")");
    }
  }

  // ---- data loading

  void load(Expr root) {
    collect(root, start, end);
    Map<Expr, StepKernel> kernels = new IdentityHashMap<>();
    if (fastPaths) {
      findKernels(root, kernels);
    }
    for (Map.Entry<Expr, long[]> e : ranges.entrySet()) {
      VectorSelector vs = e.getKey() instanceof MatrixSelector ms ? ms.selector()
          : (VectorSelector) e.getKey();
      long[] r = e.getValue();
      List<Series> selected = reader.select(vs.allMatchers(), r[0], r[1], this::checkDeadline);
      if (kernels.containsKey(e.getKey())) {
        // Read once by the series-major or streamed path in precompute, or on demand.
        this.selected.put(e.getKey(), selected);
        continue;
      }
      List<Loaded> loaded = new ArrayList<>(selected.size());
      for (Series s : selected) {
        loaded.add(load(e.getKey(), s, r));
      }
      data.put(e.getKey(), loaded);
    }
    precompute(root, kernels);
  }

  /**
   * Instant selectors evaluated at one time only, the end of their range: those of an instant
   * query outside subqueries. Only their newest point in range can be the answer.
   */
  private final Set<Expr> singleTime = Collections.newSetFromMap(new IdentityHashMap<>());
  /** Subqueries enclosing the node {@link #collect} is at. */
  private int subqueryDepth;

  /** Selections not loaded yet (see {@link #data}). */
  private final Map<Expr, List<Series>> selected = new IdentityHashMap<>();

  /** The loaded series of a selector, loading them on first use. */
  private List<Loaded> data(Expr selector) {
    List<Loaded> d = data.get(selector);
    if (d == null) {
      long[] r = ranges.get(selector);
      d = new ArrayList<>();
      for (Series s : selected.remove(selector)) {
        d.add(load(selector, s, r));
      }
      data.put(selector, d);
    }
    return d;
  }

  private final Map<Call, SeriesMajor> seriesMajor = new IdentityHashMap<>();
  private final Map<Aggregate, StreamedAggregate> streamed = new IdentityHashMap<>();

  /**
   * Walks the nodes evaluated at the query's own steps (not inside subqueries, which evaluate at
   * other times) and finds those a {@link StepKernel} can answer, keyed by their selector: calls
   * like {@code rate(x[5m])}, and plain selectors directly under an aggregation that
   * {@link StreamedAggregate} supports.
   */
  private void findKernels(Expr e, Map<Expr, StepKernel> out) {
    if (e instanceof Call c) {
      WindowKernel k = WindowKernel.of(this, c);
      if (k != null) {
        out.put(k.selector, k);
        return;
      }
      for (Expr arg : c.args()) {
        findKernels(arg, out);
      }
    } else if (e instanceof Paren p) {
      findKernels(p.expr(), out);
    } else if (e instanceof Unary u) {
      findKernels(u.expr(), out);
    } else if (e instanceof Binary b) {
      findKernels(b.lhs(), out);
      findKernels(b.rhs(), out);
    } else if (e instanceof Aggregate a) {
      if (a.param() != null) {
        findKernels(a.param(), out);
      }
      if (StreamedAggregate.supports(a) && unparen(a.expr()) instanceof VectorSelector vs) {
        InstantKernel k = InstantKernel.of(this, vs);
        if (k != null) {
          out.put(vs, k);
        }
        return;
      }
      findKernels(a.expr(), out);
    }
  }

  private static Expr unparen(Expr e) {
    while (e instanceof Paren p) {
      e = p.expr();
    }
    return e;
  }

  /** The kernel of a call's selector; a selector node is the argument of one call only. */
  private static @Nullable WindowKernel kernelOf(Call c, Map<Expr, StepKernel> kernels) {
    return c.args().size() == 1 && kernels.get(c.args().get(0)) instanceof WindowKernel k ? k
        : null;
  }

  /**
   * Answers the kernels' nodes in the tree's order (annotations keep their order): as a
   * streamed aggregation when one encloses the node directly, else series-major when the
   * answer fits, else the selection is left to be loaded for step-by-step evaluation.
   */
  private void precompute(Expr e, Map<Expr, StepKernel> kernels) {
    if (e instanceof Aggregate a && StreamedAggregate.supports(a)) {
      Expr inner = unparen(a.expr());
      StepKernel k = inner instanceof Call c ? kernelOf(c, kernels)
          : inner instanceof VectorSelector vs ? kernels.get(vs) : null;
      if (k != null) {
        streamed.put(a, StreamedAggregate.compute(this, a, k, selected.remove(k.selector())));
        return;
      }
    }
    if (e instanceof Call c) {
      WindowKernel k = kernelOf(c, kernels);
      if (k != null) {
        List<Series> sel = selected.get(k.selector);
        if (SeriesMajor.fits(k, sel.size())) {
          selected.remove(k.selector);
          seriesMajor.put(c, SeriesMajor.compute(this, k, sel));
        }
        return;
      }
      for (Expr arg : c.args()) {
        precompute(arg, kernels);
      }
    } else if (e instanceof Paren p) {
      precompute(p.expr(), kernels);
    } else if (e instanceof Unary u) {
      precompute(u.expr(), kernels);
    } else if (e instanceof Binary b) {
      precompute(b.lhs(), kernels);
      precompute(b.rhs(), kernels);
    } else if (e instanceof Aggregate a) {
      if (a.param() != null) {
        precompute(a.param(), kernels);
      }
      precompute(a.expr(), kernels);
    }
  }

  /** The precomputed answer of {@code e} (parentheses aside), or null. */
  SeriesMajor seriesMajor(Expr e) {
    while (e instanceof Paren p) {
      e = p.expr();
    }
    return e instanceof Call c ? seriesMajor.get(c) : null;
  }

  /** A reusable buffer of one series' non-stale points, {@code ts[0..n)} / {@code vs[0..n)}. */
  static final class Points {
    long[] ts = new long[256];
    double[] vs = new double[256];
    int n;
  }

  private @Nullable Points points;

  /** This query's points buffer (one at a time: the fast paths read series one by one). */
  Points points() {
    Points p = points;
    if (p == null) {
      p = new Points();
      points = p;
    }
    return p;
  }

  /**
   * Reads a selected series' points into {@code p}, leaving out staleness markers unless
   * {@code keepStale} (range selectors do not see them), and counting every sample read against the query's limit, as loading does.
   */
  void read(Series s, Expr selector, boolean keepStale, Points p) {
    long[] r = ranges.get(selector);
    long min = r[0];
    long max = r[1];
    long[] ts = p.ts;
    double[] vs = p.vs;
    int n = 0;
    int read = 0;
    SampleIterator it = s.samples();
    while (it.next()) {
      long t = it.timestamp();
      if (t < min || t > max) {
        continue;
      }
      double v = it.value();
      read++;
      if ((read & 4095) == 0) {
        addSamples(4096);
        checkLimits();
      }
      if (!keepStale && StaleMarker.isStale(v)) {
        continue;
      }
      if (n == ts.length) {
        ts = Arrays.copyOf(ts, n * 2);
        vs = Arrays.copyOf(vs, n * 2);
        p.ts = ts;
        p.vs = vs;
      }
      ts[n] = t;
      vs[n++] = v;
    }
    addSamples(read & 4095);
    p.n = n;
  }

  /** Decoding buffers reused from series to series: each series' arrays are allocated once. */
  private long[] scratchTs = new long[256];
  private double[] scratchVs = new double[256];

  private Loaded load(Series s, long min, long max) {
    long[] ts = scratchTs;
    double[] vs = scratchVs;
    int n = 0;
    int stale = 0;
    SampleIterator it = s.samples();
    while (it.next()) {
      long t = it.timestamp();
      if (t < min || t > max) {
        continue;
      }
      if (n == ts.length) {
        ts = Arrays.copyOf(ts, n * 2);
        vs = Arrays.copyOf(vs, n * 2);
        scratchTs = ts;
        scratchVs = vs;
      }
      ts[n] = t;
      vs[n] = it.value();
      if (StaleMarker.isStale(vs[n])) {
        stale++;
      }
      n++;
      if ((n & 4095) == 0) {
        addSamples(4096);
        checkLimits();
      }
    }
    addSamples(n & 4095);
    ts = Arrays.copyOf(ts, n);
    vs = Arrays.copyOf(vs, n);
    long[] rts = ts;
    double[] rvs = vs;
    if (stale > 0) {
      rts = new long[n - stale];
      rvs = new double[n - stale];
      int j = 0;
      for (int i = 0; i < n; i++) {
        if (!StaleMarker.isStale(vs[i])) {
          rts[j] = ts[i];
          rvs[j++] = vs[i];
        }
      }
    }
    return new Loaded(s.labels(), ts, vs, rts, rvs, new int[] {-1, -1, -1});
  }

  /** A selected series of {@code selector} over its range {@code r}, loaded for evaluation. */
  private Loaded load(Expr selector, Series s, long[] r) {
    return fastPaths && singleTime.contains(selector) ? loadLast(s, r[0], r[1])
        : load(s, r[0], r[1]);
  }

  private static final long[] NO_TIMES = new long[0];
  private static final double[] NO_VALUES = new double[0];

  /**
   * Like {@link #load} for a {@link #singleTime} selector: the points are decoded and counted
   * against the limit alike, but only the newest, the one its single evaluation at {@code max}
   * reads, is kept (no per-series arrays of the whole lookback window).
   */
  private Loaded loadLast(Series s, long min, long max) {
    int n = 0;
    long lastT = 0;
    double lastV = 0;
    SampleIterator it = s.samples();
    while (it.next()) {
      long t = it.timestamp();
      if (t < min || t > max) {
        continue;
      }
      lastT = t;
      lastV = it.value();
      n++;
      if ((n & 4095) == 0) {
        addSamples(4096);
        checkLimits();
      }
    }
    addSamples(n & 4095);
    if (n == 0) {
      return new Loaded(s.labels(), NO_TIMES, NO_VALUES, NO_TIMES, NO_VALUES,
          new int[] {-1, -1, -1});
    }
    long[] ts = {lastT};
    double[] vs = {lastV};
    boolean stale = StaleMarker.isStale(lastV);
    return new Loaded(s.labels(), ts, vs, stale ? NO_TIMES : ts, stale ? NO_VALUES : vs,
        new int[] {-1, -1, -1});
  }

  long atTime(At at, long t) {
    if (at == null) {
      return t;
    }
    return switch (at.kind()) {
      case START -> start;
      case END -> end;
      case TIME -> at.timeMs();
    };
  }

  private void cover(Expr key, long lo, long hi) {
    long[] r = ranges.get(key);
    if (r == null) {
      ranges.put(key, new long[] {lo, hi});
    } else {
      r[0] = Math.min(r[0], lo);
      r[1] = Math.max(r[1], hi);
    }
  }

  /** Records the stored time range each selector needs when evaluated at times [lo, hi]. */
  private void collect(Expr e, long lo, long hi) {
    if (e instanceof VectorSelector vs) {
      long a = vs.at() == null ? lo : atTime(vs.at(), lo);
      long b = vs.at() == null ? hi : atTime(vs.at(), hi);
      cover(vs, a - vs.offsetMs() - lookback, b - vs.offsetMs());
      if (step == 0 && start == end && subqueryDepth == 0) {
        singleTime.add(vs);
      }
    } else if (e instanceof MatrixSelector ms) {
      VectorSelector vs = ms.selector();
      long a = vs.at() == null ? lo : atTime(vs.at(), lo);
      long b = vs.at() == null ? hi : atTime(vs.at(), hi);
      cover(ms, a - vs.offsetMs() - ms.rangeMs(), b - vs.offsetMs());
    } else if (e instanceof Subquery sq) {
      long a = (sq.at() == null ? lo : atTime(sq.at(), lo)) - sq.offsetMs();
      long b = (sq.at() == null ? hi : atTime(sq.at(), hi)) - sq.offsetMs();
      subqueryDepth++;
      collect(sq.expr(), a - sq.rangeMs(), b);
      subqueryDepth--;
    } else if (e instanceof Paren p) {
      collect(p.expr(), lo, hi);
    } else if (e instanceof Unary u) {
      collect(u.expr(), lo, hi);
    } else if (e instanceof Binary b) {
      collect(b.lhs(), lo, hi);
      collect(b.rhs(), lo, hi);
    } else if (e instanceof Aggregate a) {
      if (a.param() != null) {
        collect(a.param(), lo, hi);
      }
      collect(a.expr(), lo, hi);
    } else if (e instanceof Call c) {
      for (Expr arg : c.args()) {
        collect(arg, lo, hi);
      }
    }
  }

  // ---- evaluation

  Value eval(Expr e, long t) {
    checkLimits();
    if (e instanceof NumberLiteral n) {
      return new Scalar(n.value());
    } else if (e instanceof StringLiteral s) {
      return new Str(s.value());
    } else if (e instanceof Paren p) {
      return eval(p.expr(), t);
    } else if (e instanceof VectorSelector vs) {
      return instant(vs, t);
    } else if (e instanceof MatrixSelector ms) {
      return range(ms, t);
    } else if (e instanceof Subquery sq) {
      return subquery(sq, t);
    } else if (e instanceof Unary u) {
      Value v = eval(u.expr(), t);
      if (!u.negate()) {
        return v;
      }
      if (v instanceof Scalar s) {
        return new Scalar(-s.v());
      }
      List<Smp> out = new ArrayList<>();
      for (Smp s : ((Vec) v).samples()) {
        out.add(s.dropping(-s.v(), t));
      }
      return new Vec(out);
    } else if (e instanceof Binary b) {
      return BinaryOps.eval(this, b, t);
    } else if (e instanceof Aggregate a) {
      StreamedAggregate sa = streamed.isEmpty() ? null : streamed.get(a);
      Vec v = sa == null ? null : sa.at(t);
      return v != null ? v : Aggregations.eval(this, a, t);
    } else if (e instanceof Call c) {
      SeriesMajor sm = seriesMajor.isEmpty() ? null : seriesMajor.get(c);
      Vec v = sm == null ? null : sm.at(t);
      return v != null ? v : FunctionImpls.call(this, c, t);
    }
    throw new IllegalStateException("unknown node " + e);
  }

  double evalScalar(Expr e, long t) {
    return ((Scalar) eval(e, t)).v();
  }

  List<Smp> evalVector(Expr e, long t) {
    return ((Vec) eval(e, t)).samples();
  }

  private Vec instant(VectorSelector vs, long t) {
    long ref = atTime(vs.at(), t) - vs.offsetMs();
    List<Smp> out = new ArrayList<>();
    for (Loaded l : data(vs)) {
      int i = upperIndex(l.ts(), ref, l.hints(), 0);
      if (i >= 0 && l.ts()[i] > ref - lookback && !StaleMarker.isStale(l.vs()[i])) {
        out.add(new Smp(l.labels(), l.vs()[i], l.ts()[i], false, l.noName()));
      }
    }
    return new Vec(out);
  }

  /**
   * Like {@link #upperIndex(long[], long)}, starting from the previous answer kept in
   * {@code hints[slot]}: consecutive steps usually move it by a sample or two.
   */
  static int upperIndex(long[] ts, long t, int[] hints, int slot) {
    int h = hints[slot];
    if (h >= -1 && h < ts.length && (h == -1 || ts[h] <= t)) {
      int i = h;
      int limit = Math.min(ts.length - 1, h + 8);
      while (i < limit && ts[i + 1] <= t) {
        i++;
      }
      if (i + 1 >= ts.length || ts[i + 1] > t) {
        hints[slot] = i;
        return i;
      }
    }
    int i = upperIndex(ts, t);
    hints[slot] = i;
    return i;
  }

  /** Index of the last element &lt;= t, or -1. */
  static int upperIndex(long[] ts, long t) {
    int lo = 0;
    int hi = ts.length - 1;
    int ans = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (ts[mid] <= t) {
        ans = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return ans;
  }

  private Mat range(MatrixSelector ms, long t) {
    VectorSelector vs = ms.selector();
    long ref = atTime(vs.at(), t) - vs.offsetMs();
    List<Rng> out = new ArrayList<>();
    for (Loaded l : data(ms)) {
      int to = upperIndex(l.rts(), ref, l.hints(), 1) + 1;
      int from = upperIndex(l.rts(), ref - ms.rangeMs(), l.hints(), 2) + 1;
      if (to > from) {
        out.add(new Rng(l.labels(), l.rts(), l.rvs(), from, to, false, l.noName()));
      }
    }
    return new Mat(out);
  }

  private Mat subquery(Subquery sq, long t) {
    long ref = atTime(sq.at(), t) - sq.offsetMs();
    long stepMs = sq.stepMs() != 0 ? sq.stepMs() : options.defaultSubqueryStep().toMillis();
    long first = stepMs * ((ref - sq.rangeMs()) / stepMs);
    if (first <= ref - sq.rangeMs()) {
      first += stepMs;
    }
    Map<Labels, Boolean> drop = new HashMap<>();
    Map<Labels, long[]> tsAcc = new LinkedHashMap<>();
    Map<Labels, double[]> vAcc = new LinkedHashMap<>();
    Map<Labels, int[]> nAcc = new HashMap<>();
    for (long ts = first; ts <= ref; ts += stepMs) {
      for (Smp s : evalVector(sq.expr(), ts)) {
        Labels key = s.labels();
        int[] n = nAcc.computeIfAbsent(key, k -> new int[1]);
        long[] tarr = tsAcc.get(key);
        double[] varr = vAcc.get(key);
        if (tarr == null || n[0] == tarr.length) {
          int cap = tarr == null ? 16 : tarr.length * 2;
          tarr = tarr == null ? new long[cap] : Arrays.copyOf(tarr, cap);
          varr = varr == null ? new double[cap] : Arrays.copyOf(varr, cap);
          tsAcc.put(key, tarr);
          vAcc.put(key, varr);
        }
        if (n[0] > 0 && tarr[n[0] - 1] == ts) {
          throw new QueryException(QueryException.Kind.EXECUTION,
              "vector cannot contain metrics with the same labelset");
        }
        tarr[n[0]] = ts;
        varr[n[0]] = s.v();
        n[0]++;
        drop.put(key, s.dropName());
        addSamples(1);
      }
    }
    List<Rng> out = new ArrayList<>();
    for (Map.Entry<Labels, long[]> e : tsAcc.entrySet()) {
      int n = nAcc.get(e.getKey())[0];
      out.add(new Rng(e.getKey(), e.getValue(), vAcc.get(e.getKey()), 0, n,
          drop.get(e.getKey())));
    }
    return new Mat(out);
  }

  /** The (rangeStart, rangeEnd] window a range argument covers at time t. */
  long[] window(Expr arg, long t) {
    while (arg instanceof Paren p) {
      arg = p.expr();
    }
    if (arg instanceof MatrixSelector ms) {
      long ref = atTime(ms.selector().at(), t) - ms.selector().offsetMs();
      return new long[] {ref - ms.rangeMs(), ref};
    }
    Subquery sq = (Subquery) arg;
    long ref = atTime(sq.at(), t) - sq.offsetMs();
    return new long[] {ref - sq.rangeMs(), ref};
  }
}
