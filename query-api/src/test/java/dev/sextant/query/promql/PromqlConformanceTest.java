package dev.sextant.query.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.sextant.query.promql.PromqlScript.Command;
import dev.sextant.query.promql.PromqlScript.Eval;
import dev.sextant.query.promql.PromqlScript.Expect;
import dev.sextant.query.promql.PromqlScript.Expected;
import dev.sextant.query.promql.PromqlScript.Load;
import dev.sextant.query.promql.parser.Expr;
import dev.sextant.query.promql.parser.Parser;
import dev.sextant.query.promql.parser.Printer;
import dev.sextant.query.promql.parser.ValueType;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.MetricReader;
import dev.sextant.storage.metrics.TimeSeries;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every Prometheus {@code .test} script in {@code src/test/resources/promql} (or the directory
 * given by {@code -Dpromqltest.dir=...}); each {@code eval} is one dynamic test. Prints
 * {@code promqltest: N passed, N failed, N skipped}.
 */
class PromqlConformanceTest {
  private static final AtomicInteger PASSED = new AtomicInteger();
  private static final AtomicInteger FAILED = new AtomicInteger();
  private static final AtomicInteger SKIPPED = new AtomicInteger();

  /**
   * Creates the reader for a data snapshot: the real RocksDB-backed store by default,
   * {@code -Dpromqltest.store=memory} for the in-memory reader.
   */
  private static final Function<List<TimeSeries>, MetricReader> readers =
      "memory".equals(System.getProperty("promqltest.store"))
          ? InMemoryMetricReader::new : new MetricStoreReaders();

  private static final List<String> DETAILS =
      Collections.synchronizedList(new ArrayList<>());

  @AfterAll
  static void summary() throws Exception {
    if (readers instanceof AutoCloseable c) {
      c.close();
    }
    // Per-eval details for whoever works on the engine; the summary line is the contract.
    Path report = Paths.get("target", "promqltest-details.txt");
    if (Files.isDirectory(report.getParent())) {
      Files.write(report, DETAILS);
    }
    System.out.println("promqltest: " + PASSED.get() + " passed, " + FAILED.get() + " failed, "
        + SKIPPED.get() + " skipped");
  }

  private static Path scriptDir() throws URISyntaxException {
    String dir = System.getProperty("promqltest.dir");
    if (dir != null && !dir.isEmpty()) {
      return Paths.get(dir);
    }
    return Paths.get(PromqlConformanceTest.class.getResource("/promql").toURI());
  }

  @TestFactory
  Stream<DynamicNode> scripts() throws IOException, URISyntaxException {
    List<DynamicNode> files = new ArrayList<>();
    List<Path> paths;
    try (Stream<Path> s = Files.list(scriptDir())) {
      paths = s.filter(p -> p.toString().endsWith(".test")).sorted().toList();
    }
    for (Path p : paths) {
      String file = p.getFileName().toString();
      List<Command> commands = PromqlScript.parse(Files.readString(p));
      List<DynamicTest> tests = new ArrayList<>();
      List<TimeSeries> data = new ArrayList<>();
      List<Labels> natives = new ArrayList<>();
      for (Command c : commands) {
        if (c instanceof PromqlScript.Clear) {
          data = new ArrayList<>();
          natives = new ArrayList<>();
        } else if (c instanceof Load l) {
          data = new ArrayList<>(data);
          data.addAll(l.series());
          natives = new ArrayList<>(natives);
          natives.addAll(l.nativeSeries());
        } else {
          Eval e = (Eval) c;
          List<TimeSeries> snapshot = data;
          List<Labels> nativeSnapshot = natives;
          String key = file + ":" + e.line();
          tests.add(DynamicTest.dynamicTest(key + " " + e.query(),
              () -> run(key, e, snapshot, nativeSnapshot)));
        }
      }
      files.add(DynamicContainer.dynamicContainer(file, tests));
    }
    return files.stream();
  }

  private static void run(String key, Eval e, List<TimeSeries> data, List<Labels> natives) {
    String nativeReason = nativeHistogramReason(e, natives);
    if (nativeReason != null && !nativeReason.contains("expects histogram samples")) {
      // The query touches native-histogram series we don't load. It still counts as passed when
      // the float-only answer is right (e.g. the histograms would have been filtered out).
      try {
        evaluate(e, readers.apply(data));
        PASSED.incrementAndGet();
        return;
      } catch (AssertionError | RuntimeException ex) {
        nativeReason += " (wrong without them: " + ex.getMessage().replace('\n', ' ') + ")";
      }
    }
    String reason = nativeReason != null ? nativeReason : KnownFailures.REASONS.get(key);
    if (reason != null) {
      SKIPPED.incrementAndGet();
      DETAILS.add("SKIP " + key + " " + e.query() + " -- " + reason);
      Assumptions.abort(reason);
    }
    try {
      evaluate(e, readers.apply(data));
      PASSED.incrementAndGet();
    } catch (AssertionError | RuntimeException ex) {
      FAILED.incrementAndGet();
      DETAILS.add("FAIL " + key + " " + e.query() + " -- " + ex.getMessage().replace('\n', ' '));
      throw ex;
    }
  }

  /** Non-null when the eval needs native histograms (explicitly out of scope). */
  static String nativeHistogramReason(Eval e, List<Labels> natives) {
    for (Expected x : e.expected()) {
      if (x.histogram()) {
        return "native histograms: expects histogram samples";
      }
    }
    if (natives.isEmpty()) {
      return null;
    }
    Expr expr;
    try {
      expr = Parser.parse(e.query());
    } catch (RuntimeException ex) {
      return null;
    }
    List<Expr.VectorSelector> selectors = new ArrayList<>();
    ExprWalker.selectors(expr, selectors);
    for (Expr.VectorSelector vs : selectors) {
      for (Labels n : natives) {
        boolean all = true;
        for (LabelMatcher m : vs.allMatchers()) {
          all &= m.matches(n);
        }
        if (all) {
          return "native histograms: selects native histogram series " + n;
        }
      }
    }
    return null;
  }

  private static void evaluate(Eval e, MetricReader reader) {
    PromqlEngine engine = PromqlEngine.of(reader, EngineOptions.defaults());
    boolean expectFail = e.expects().stream().anyMatch(x -> x.type().equals("fail"));
    QueryResult r;
    try {
      r = e.range() ? engine.rangeQuery(e.query(), e.start(), e.end(), e.step())
          : engine.instantQuery(e.query(), e.start());
    } catch (QueryException ex) {
      if (!expectFail) {
        throw new AssertionError("unexpected error: " + ex.getMessage(), ex);
      }
      for (Expect x : e.expects()) {
        if (x.type().equals("fail") && x.matchType() != null) {
          assertThat(matches(x, ex.getMessage())).as("error message " + ex.getMessage()
              + " vs expected " + x.text()).isTrue();
        }
      }
      return;
    }
    if (expectFail) {
      fail("expected the query to fail, got " + describe(r));
    }
    checkAnnotations(e, "warn", r.warnings());
    checkAnnotations(e, "info", r.infos());
    compare(e, r);
    boolean ordered = e.expects().stream().anyMatch(x -> x.type().equals("ordered"));
    if (!e.range() && !ordered && (r.type() == ValueType.VECTOR || r.type() == ValueType.SCALAR)
        && !ExprWalker.usesQueryRangeFunctions(Parser.parse(e.query()))) {
      // Like promqltest: the same query as a range query around t must agree at t (not for
      // step()/range()/start()/end(), whose value is the query range itself).
      QueryResult rr = engine.rangeQuery(e.query(), e.start() - 60_000, e.start() + 60_000,
          60_000);
      List<QueryResult.Sample> atT = new ArrayList<>();
      for (QueryResult.Series s : rr.matrix()) {
        for (int i = 0; i < s.timesMs().length; i++) {
          if (s.timesMs()[i] == e.start()) {
            atT.add(new QueryResult.Sample(s.labels(), e.start(), s.values()[i]));
          }
        }
      }
      QueryResult asInstant = r.type() == ValueType.SCALAR
          ? new QueryResult(ValueType.SCALAR, e.start(), atT.isEmpty() ? Double.NaN
              : atT.get(0).value(), null, null, null, List.of(), List.of())
          : new QueryResult(ValueType.VECTOR, e.start(), 0, null, atT, null, List.of(),
              List.of());
      try {
        compare(e, asInstant);
      } catch (AssertionError ex) {
        throw new AssertionError("range-mode check: " + ex.getMessage(), ex);
      }
    }
    Expr parsed = Parser.parse(e.query());
    if (!e.range() && !AtRewriter.unsafe(parsed)) {
      // Like promqltest: with every selector pinned by @, any eval time gives the same answer.
      String pinned = Printer.print(
          AtRewriter.pin(parsed, e.start()));
      for (long t : AtRewriter.evalTimes(e.start())) {
        QueryResult pr = engine.instantQuery(pinned, t);
        QueryResult shifted = new QueryResult(pr.type(), e.start(), pr.scalar(), pr.string(),
            pr.vector(), pr.matrix(), pr.warnings(), pr.infos());
        try {
          compare(e, shifted);
        } catch (AssertionError ex) {
          throw new AssertionError("@ check (" + pinned + " at " + t + "): " + ex.getMessage(),
              ex);
        }
      }
    }
  }

  private static boolean matches(Expect x, String text) {
    if (x.matchType() == null) {
      return true;
    }
    String want = x.text().strip();
    if (x.matchType().equals("msg")) {
      String unq = want.startsWith("\"") && want.endsWith("\"") && want.length() > 1
          ? want.substring(1, want.length() - 1) : want;
      return text.equals(want) || text.equals(unq);
    }
    String re = want.startsWith("\"") && want.endsWith("\"") && want.length() > 1
        ? want.substring(1, want.length() - 1) : want;
    return Pattern.compile(re).matcher(text).find();
  }

  private static void checkAnnotations(Eval e, String type, List<String> actual) {
    List<Expect> lines = e.expects().stream().filter(x -> x.type().equals(type)).toList();
    if (e.expects().stream().anyMatch(x -> x.type().equals("no_" + type))) {
      assertThat(actual).as("no " + type + " annotations expected").isEmpty();
    }
    for (Expect x : lines) {
      assertThat(actual.stream().anyMatch(a -> matches(x, a)))
          .as("expected " + type + " " + (x.text() == null ? "" : x.text()) + " in " + actual)
          .isTrue();
    }
    if (!lines.isEmpty()) {
      for (String a : actual) {
        assertThat(lines.stream().anyMatch(x -> matches(x, a)))
            .as("unexpected " + type + " annotation " + a).isTrue();
      }
    }
  }

  private static String describe(QueryResult r) {
    return switch (r.type()) {
      case SCALAR -> "scalar " + r.scalar();
      case STRING -> "string " + r.string();
      case VECTOR -> r.vector().toString();
      case MATRIX -> r.matrix().stream().map(s -> s.labels() + " " + Arrays.toString(
          s.values()) + " @" + Arrays.toString(s.timesMs())).toList().toString();
    };
  }

  static boolean close(double want, double got) {
    if (Double.isNaN(want) || Double.isNaN(got)) {
      return Double.isNaN(want) && Double.isNaN(got);
    }
    if (want == got) {
      return true;
    }
    double absSum = Math.abs(want) + Math.abs(got);
    double diff = Math.abs(want - got);
    double minNormal = 2.2250738585072014e-308;
    if (want == 0 || got == 0 || absSum < minNormal) {
      return diff < 1e-6 * minNormal;
    }
    return diff / Math.min(absSum, Double.MAX_VALUE) < 1e-6;
  }

  private static void compare(Eval e, QueryResult r) {
    String got = describe(r);
    if (e.expectString() != null) {
      assertThat(r.type()).isEqualTo(ValueType.STRING);
      assertThat(r.string()).isEqualTo(e.expectString());
      return;
    }
    if (r.type() == ValueType.SCALAR) {
      assertThat(e.expected()).as("got " + got).hasSize(1);
      Expected x = e.expected().get(0);
      assertThat((Object) x.labels()).as("expected a vector, got " + got).isNull();
      assertThat(close(x.values()[0], r.scalar()))
          .as("scalar: want " + x.values()[0] + " got " + r.scalar()).isTrue();
      return;
    }
    if (r.type() == ValueType.VECTOR) {
      assertThat(r.vector()).as("result " + got + " vs expected " + e.expected())
          .hasSize(e.expected().size());
      Map<Labels, Expected> want = new HashMap<>();
      for (Expected x : e.expected()) {
        assertThat((Object) x.labels()).as("expected scalar, got " + got).isNotNull();
        want.put(x.labels(), x);
      }
      boolean ordered = e.expects().stream().anyMatch(x -> x.type().equals("ordered"));
      for (int i = 0; i < r.vector().size(); i++) {
        QueryResult.Sample s = r.vector().get(i);
        Expected x = ordered ? e.expected().get(i) : want.get(s.labels());
        assertThat(x).as("unexpected sample " + s.labels() + " in " + got).isNotNull();
        assertThat((Object) x.labels()).as("order/labels in " + got).isEqualTo(s.labels());
        assertThat(close(x.values()[0], s.value()))
            .as(s.labels() + ": want " + x.values()[0] + " got " + s.value()).isTrue();
      }
      return;
    }
    if (r.type() == ValueType.MATRIX) {
      long start = e.start();
      long step = e.step();
      if (!e.range()) {
        assertThat(e.rangeVector()).as("matrix result " + got + " without expect range vector")
            .isNotNull();
        start = e.rangeVector()[0];
        step = e.rangeVector()[2];
      }
      Map<Labels, QueryResult.Series> bySeries = new HashMap<>();
      for (QueryResult.Series s : r.matrix()) {
        bySeries.put(s.labels(), s);
      }
      assertThat(r.matrix()).as("series in " + got + " vs " + e.expected())
          .hasSize(e.expected().size());
      for (Expected x : e.expected()) {
        QueryResult.Series s = bySeries.get(x.labels() == null ? Labels.EMPTY : x.labels());
        assertThat(s).as("missing series " + x.labels() + " in " + got).isNotNull();
        List<long[]> wantTs = new ArrayList<>();
        List<Double> wantVs = new ArrayList<>();
        for (int i = 0; i < x.values().length; i++) {
          double v = x.values()[i];
          if (Double.doubleToRawLongBits(v) != Double.doubleToRawLongBits(PromqlScript.OMITTED)) {
            wantTs.add(new long[] {start + i * step});
            wantVs.add(v);
          }
        }
        assertThat(s.timesMs().length).as(x.labels() + " points: got " + got
            + " want " + Arrays.toString(x.values())).isEqualTo(wantTs.size());
        for (int i = 0; i < wantTs.size(); i++) {
          assertThat(s.timesMs()[i]).as(x.labels() + " timestamps in " + got)
              .isEqualTo(wantTs.get(i)[0]);
          assertThat(close(wantVs.get(i), s.values()[i]))
              .as(x.labels() + " at " + s.timesMs()[i] + ": want " + wantVs.get(i) + " got "
                  + s.values()[i]).isTrue();
        }
      }
    }
  }
}
