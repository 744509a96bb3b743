package dev.sextant.alert.promtool;

import static java.util.Objects.requireNonNull;

import dev.sextant.alert.query.Sample;
import dev.sextant.alert.eval.Alert;
import dev.sextant.alert.eval.AlertState;
import dev.sextant.alert.eval.RuleGroup;
import dev.sextant.alert.eval.RuleManager;
import dev.sextant.alert.promtool.PromtoolTestFile.AlertTest;
import dev.sextant.alert.promtool.PromtoolTestFile.ExpAlert;
import dev.sextant.alert.promtool.PromtoolTestFile.ExpSample;
import dev.sextant.alert.promtool.PromtoolTestFile.ExprTest;
import dev.sextant.alert.promtool.PromtoolTestFile.InputSeries;
import dev.sextant.alert.promtool.PromtoolTestFile.TestGroup;
import dev.sextant.alert.rules.ExprChecker;
import dev.sextant.alert.rules.RuleFileResult;
import dev.sextant.alert.rules.RuleFiles;
import dev.sextant.alert.rules.RuleGroupConfig;
import dev.sextant.query.Durations;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.StaleMarker;
import dev.sextant.storage.metrics.TimeSeries;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs {@code promtool test rules} files: loads the rule files, feeds the input series to a
 * {@link TestEngine}, evaluates every group each {@code evaluation_interval} and compares firing
 * alerts and expression results with the expectations, printing promtool-style diffs.
 */
public final class PromtoolTestRunner {
  /** The outcome of one test file. */
  public record Result(boolean passed, String output) {}

  private final TestEngine.Factory engines;
  private final ExprChecker checker;

  /** Runs tests on engines from {@code engines}, checking rule expressions with {@code checker}. */
  public PromtoolTestRunner(TestEngine.Factory engines, ExprChecker checker) {
    this.engines = requireNonNull(engines, "engines");
    this.checker = requireNonNull(checker, "checker");
  }

  /**
   * Runs one test file. A file that cannot be parsed and a failing test both come back as a
   * failed {@link Result} whose output says why, in promtool's format.
   */
  public Result run(Path testFile) {
    StringBuilder out = new StringBuilder("Unit Testing:  ").append(testFile).append('\n');
    PromtoolTestFile f;
    try {
      f = PromtoolTestParser.parse(testFile);
    } catch (Exception e) {
      out.append("  FAILED:\n    ").append(e.getMessage()).append('\n');
      return new Result(false, out.toString());
    }
    Path dir = testFile.toAbsolutePath().getParent();
    List<String> ruleFiles = f.ruleFiles().stream().map(r -> dir.resolve(r).toString()).toList();
    List<RuleGroupConfig> groups = new ArrayList<>();
    for (RuleFileResult r : RuleFiles.loadAll(ruleFiles, checker)) {
      if (!r.ok()) {
        out.append("  FAILED:\n");
        r.errors().forEach(e -> out.append("    ").append(e).append('\n'));
        return new Result(false, out.toString());
      }
      groups.addAll(r.groups());
    }
    List<String> failures = new ArrayList<>();
    for (TestGroup g : f.tests()) {
      try {
        failures.addAll(runGroup(f, g, groups));
      } catch (Exception e) {
        failures.add("    " + (g.name().isEmpty() ? "" : "name: " + g.name() + ",\n    ")
            + "error: " + e);
      }
    }
    if (failures.isEmpty()) {
      out.append("  SUCCESS\n");
      return new Result(true, out.toString());
    }
    out.append("  FAILED:\n");
    failures.forEach(s -> out.append(s).append('\n'));
    return new Result(false, out.toString());
  }

  private List<String> runGroup(PromtoolTestFile f, TestGroup g, List<RuleGroupConfig> groups)
      throws Exception {
    List<TimeSeries> input = new ArrayList<>();
    for (InputSeries s : g.inputSeries()) {
      List<Long> ts = new ArrayList<>();
      List<Double> vs = new ArrayList<>();
      for (int i = 0; i < s.values().size(); i++) {
        double v = s.values().get(i);
        if (!SeriesNotation.isMissing(v)) {
          ts.add(g.start().plus(g.interval().multipliedBy(i)).toEpochMilli());
          vs.add(v);
        }
      }
      input.add(new TimeSeries(s.labels(), ts.stream().mapToLong(Long::longValue).toArray(),
          vs.stream().mapToDouble(Double::doubleValue).toArray()));
    }
    List<String> failures = new ArrayList<>();
    String prefix = g.name().isEmpty() ? "" : "    name: " + g.name() + ",\n";
    try (TestEngine engine = engines.create(input)) {
      RuleManager m = RuleManager.builder(engine.query()).writer(engine.writer())
          .defaultInterval(f.evaluationInterval()).externalLabels(g.externalLabels())
          .externalUrl(g.externalUrl()).clock(Clock.fixed(g.start(), ZoneOffset.UTC)).build();
      m.update(groups);
      List<RuleGroup> ordered = new ArrayList<>(m.groups());
      ordered.sort(Comparator.comparingInt(rg -> {
        int i = f.groupEvalOrder().indexOf(rg.name());
        return i < 0 ? Integer.MAX_VALUE : i;
      }));
      List<AlertTest> alertTests = new ArrayList<>(g.alertTests());
      alertTests.sort(Comparator.comparing(AlertTest::evalTime));
      Duration max = Duration.ZERO;
      for (AlertTest a : alertTests) {
        max = a.evalTime().compareTo(max) > 0 ? a.evalTime() : max;
      }
      for (ExprTest e : g.exprTests()) {
        max = e.evalTime().compareTo(max) > 0 ? e.evalTime() : max;
      }
      Duration step = f.evaluationInterval();
      int next = 0;
      for (Duration t = Duration.ZERO; t.compareTo(max) <= 0; t = t.plus(step)) {
        Instant ts = g.start().plus(t);
        for (RuleGroup rg : ordered) {
          if (t.toMillis() % rg.interval().toMillis() == 0) {
            m.evaluate(rg, ts);
          }
        }
        while (next < alertTests.size() && alertTests.get(next).evalTime().compareTo(t) >= 0
            && alertTests.get(next).evalTime().compareTo(t.plus(step)) < 0) {
          String diff = checkAlerts(alertTests.get(next++), m.alerts());
          if (diff != null) {
            failures.add(prefix + diff);
          }
        }
      }
      for (ExprTest e : g.exprTests()) {
        String diff = checkExpr(e, engine, g.start().plus(e.evalTime()), f.fuzzyCompare());
        if (diff != null) {
          failures.add(prefix + diff);
        }
      }
    }
    return failures;
  }

  private static String checkAlerts(AlertTest t, List<Alert> alerts) {
    List<String> got = new ArrayList<>();
    for (Alert a : alerts) {
      if (a.state() == AlertState.FIRING && a.labels().get("alertname").equals(t.alertname())) {
        got.add(describe(a.labels().toMap(), a.annotations()));
      }
    }
    List<String> exp = new ArrayList<>();
    for (ExpAlert e : t.expAlerts()) {
      Map<String, String> l = new TreeMap<>(e.labels());
      l.put("alertname", t.alertname());
      exp.add(describe(l, e.annotations()));
    }
    got.sort(null);
    exp.sort(null);
    if (got.equals(exp)) {
      return null;
    }
    return "    alertname: " + t.alertname() + ", time: " + Durations.format(t.evalTime())
        + ", \n        exp:" + list(exp) + ", \n        got:" + list(got);
  }

  private static String describe(Map<String, String> labels, Map<String, String> ann) {
    return "Labels:" + Labels.of(labels).toString() + "\n              Annotations:"
        + Labels.of(ann).toString();
  }

  private static String list(List<String> items) {
    if (items.isEmpty()) {
      return "[]";
    }
    StringBuilder sb = new StringBuilder("[\n");
    for (int i = 0; i < items.size(); i++) {
      sb.append("            ").append(i).append(":\n              ").append(items.get(i)).append('\n');
    }
    return sb.append("            ]").toString();
  }

  private static String checkExpr(ExprTest e, TestEngine engine, Instant ts, boolean fuzzy) {
    List<Sample> got;
    try {
      got = new ArrayList<>(engine.query().query(e.expr(), ts));
    } catch (Exception ex) {
      return "    expr: \"" + e.expr() + "\", time: " + Durations.format(e.evalTime())
          + ", err: " + ex.getMessage();
    }
    got.removeIf(s -> StaleMarker.isStale(s.value()));
    got.sort(Comparator.comparing(Sample::labels));
    List<ExpSample> exp = new ArrayList<>(e.expSamples());
    exp.sort(Comparator.comparing(ExpSample::labels));
    boolean same = got.size() == exp.size();
    for (int i = 0; same && i < got.size(); i++) {
      same = got.get(i).labels().equals(exp.get(i).labels())
          && almostEqual(got.get(i).value(), exp.get(i).value(), fuzzy);
    }
    if (same) {
      return null;
    }
    return "    expr: \"" + e.expr() + "\", time: " + Durations.format(e.evalTime())
        + ",\n        exp: " + samples(exp.stream().map(s -> new Sample(s.labels(), s.value())).toList())
        + "\n        got: " + samples(got);
  }

  private static String samples(List<Sample> s) {
    if (s.isEmpty()) {
      return "(no samples)";
    }
    StringBuilder sb = new StringBuilder();
    for (Sample x : s) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(x.labels()).append(' ').append(String.format("%E", x.value()));
    }
    return sb.toString();
  }

  static boolean almostEqual(double a, double b, boolean fuzzy) {
    if (Double.isNaN(a) && Double.isNaN(b)) {
      return true;
    }
    if (a == b) {
      return true;
    }
    double eps = fuzzy ? 1e-9 : 1e-12;
    return Math.abs(a - b) <= eps * Math.max(Math.abs(a), Math.abs(b));
  }
}
