package dev.sextant.alert.promtool;


import dev.sextant.alert.promtool.PromtoolTestFile.AlertTest;
import dev.sextant.alert.promtool.PromtoolTestFile.ExpAlert;
import dev.sextant.alert.promtool.PromtoolTestFile.ExpSample;
import dev.sextant.alert.promtool.PromtoolTestFile.ExprTest;
import dev.sextant.alert.promtool.PromtoolTestFile.InputSeries;
import dev.sextant.alert.promtool.PromtoolTestFile.TestGroup;
import dev.sextant.query.Durations;
import dev.sextant.storage.metrics.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.Constructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/** Parses {@code promtool test rules} files; errors name the file and the offending field. */
final class PromtoolTestParser {
  private static final Set<String> TOP = Set.of("rule_files", "evaluation_interval", "fuzzy_compare",
      "group_eval_order", "tests");

  private PromtoolTestParser() {}

  /**
   * Parses {@code path}.
   *
   * @throws IllegalArgumentException "FILE: field: problem" for invalid content
   */
  public static PromtoolTestFile parse(Path path) throws IOException {
    String text = Files.readString(path);
    try {
      return parse(path, stringYaml().load(text));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Scalars stay strings, as Go's YAML decoding into string fields keeps them: {@code values: 0x10}
   * is the notation "0 repeated 10 times", not the hex number 16.
   */
  private static Yaml stringYaml() {
    Resolver r = new Resolver() {
      @Override
      protected void addImplicitResolvers() {
        addImplicitResolver(Tag.NULL, NULL, "~nN\0");
        addImplicitResolver(Tag.NULL, EMPTY, null);
      }
    };
    LoaderOptions lo = new LoaderOptions();
    DumperOptions dopts = new DumperOptions();
    return new Yaml(new Constructor(lo), new Representer(dopts), dopts, lo, r);
  }

  private static PromtoolTestFile parse(Path path, Object root) {
    Map<String, Object> m = map(root, "top level");
    for (String k : m.keySet()) {
      if (!TOP.contains(k)) {
        throw new IllegalArgumentException("field " + k + " not found in type unitTestFile");
      }
    }
    Duration evalInterval = m.containsKey("evaluation_interval")
        ? duration(m.get("evaluation_interval"), "evaluation_interval") : Duration.ofMinutes(1);
    List<TestGroup> tests = new ArrayList<>();
    int i = 0;
    for (Object t : list(m.get("tests"), "tests")) {
      tests.add(group(map(t, "tests[" + i + "]"), evalInterval, "tests[" + i++ + "]"));
    }
    return new PromtoolTestFile(path, strings(m.get("rule_files"), "rule_files"), evalInterval,
        "true".equals(String.valueOf(m.get("fuzzy_compare"))), strings(m.get("group_eval_order"),
        "group_eval_order"), tests);
  }

  private static TestGroup group(Map<String, Object> g, Duration evalInterval, String where) {
    Duration interval = g.containsKey("interval") ? duration(g.get("interval"), where + ".interval")
        : evalInterval;
    Instant start = Instant.EPOCH;
    Object st = g.get("start_timestamp");
    if (st instanceof Number n) {
      start = Instant.ofEpochSecond(n.longValue());
    } else if (st instanceof Date d) {
      start = d.toInstant();
    } else if (st != null && st.toString().matches("[0-9]+")) {
      start = Instant.ofEpochSecond(Long.parseLong(st.toString()));
    } else if (st != null) {
      start = Instant.parse(st.toString());
    }
    List<InputSeries> series = new ArrayList<>();
    for (Object o : list(g.get("input_series"), where + ".input_series")) {
      Map<String, Object> s = map(o, where + ".input_series");
      series.add(new InputSeries(SeriesNotation.parseSeries(str(s.get("series"))),
          SeriesNotation.expandValues(str(s.get("values")))));
    }
    List<AlertTest> alerts = new ArrayList<>();
    for (Object o : list(g.get("alert_rule_test"), where + ".alert_rule_test")) {
      Map<String, Object> a = map(o, where + ".alert_rule_test");
      List<ExpAlert> exp = new ArrayList<>();
      for (Object e : list(a.get("exp_alerts"), "exp_alerts")) {
        Map<String, Object> em = e == null ? Map.of() : map(e, "exp_alerts");
        exp.add(new ExpAlert(stringMap(em.get("exp_labels")), stringMap(em.get("exp_annotations"))));
      }
      alerts.add(new AlertTest(duration(a.get("eval_time"), where + ".eval_time"),
          str(a.get("alertname")), exp));
    }
    List<ExprTest> exprs = new ArrayList<>();
    for (Object o : list(g.get("promql_expr_test"), where + ".promql_expr_test")) {
      Map<String, Object> e = map(o, where + ".promql_expr_test");
      List<ExpSample> exp = new ArrayList<>();
      for (Object s : list(e.get("exp_samples"), "exp_samples")) {
        Map<String, Object> sm = map(s, "exp_samples");
        Object l = sm.get("labels");
        exp.add(new ExpSample(l == null ? Labels.EMPTY : SeriesNotation.parseSeries(str(l)),
            number(sm.get("value"))));
      }
      exprs.add(new ExprTest(str(e.get("expr")), e.containsKey("eval_time")
          ? duration(e.get("eval_time"), where + ".eval_time") : Duration.ZERO, exp));
    }
    return new TestGroup(g.get("name") == null ? "" : str(g.get("name")), interval, start, series,
        alerts, exprs, stringMap(g.get("external_labels")),
        g.get("external_url") == null ? "" : str(g.get("external_url")));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o, String where) {
    if (o instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw new IllegalArgumentException(where + ": expected a mapping");
  }

  private static List<?> list(Object o, String where) {
    if (o == null) {
      return List.of();
    }
    if (o instanceof List<?> l) {
      return l;
    }
    throw new IllegalArgumentException(where + ": expected a list");
  }

  private static List<String> strings(Object o, String where) {
    List<String> out = new ArrayList<>();
    for (Object x : list(o, where)) {
      out.add(str(x));
    }
    return out;
  }

  private static Map<String, String> stringMap(Object o) {
    Map<String, String> out = new LinkedHashMap<>();
    if (o instanceof Map<?, ?> m) {
      m.forEach((k, v) -> out.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
    }
    return out;
  }

  private static String str(Object o) {
    return o == null ? "" : String.valueOf(o);
  }

  private static double number(Object o) {
    if (o instanceof Number n) {
      return n.doubleValue();
    }
    List<Double> v = SeriesNotation.expandValues(str(o));
    if (v.size() != 1) {
      throw new IllegalArgumentException("value: " + o + " (expected: one number)");
    }
    return v.get(0);
  }

  private static Duration duration(Object o, String where) {
    if (o instanceof Number n && n.longValue() == 0 || "0".equals(o)) {
      return Duration.ZERO;
    }
    try {
      return Durations.parse(str(o));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage());
    }
  }
}
