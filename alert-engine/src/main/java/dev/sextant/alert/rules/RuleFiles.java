package dev.sextant.alert.rules;

import static java.util.Objects.requireNonNull;

import dev.sextant.alert.internal.template.AlertTemplate;
import dev.sextant.alert.internal.template.TemplateException;
import dev.sextant.query.Durations;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Loads and validates Prometheus rule files (unmodified YAML), with the checks of
 * {@code promtool check rules}: unknown fields, duplicate group names, missing or unparsable
 * {@code expr}, both or neither of {@code alert}/{@code record}, bad durations, bad label and
 * annotation names, templates that do not parse. Every problem names the file and line.
 *
 * <p>Warnings (never blocking): alerts without a {@code playbook}/{@code runbook_url} annotation or
 * with a malformed one, and duplicate rules.
 */
public final class RuleFiles {
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Set<String> GROUP_FIELDS =
      Set.of("name", "interval", "limit", "query_offset", "labels", "rules");
  private static final Set<String> RULE_FIELDS = Set.of("alert", "record", "expr", "for",
      "keep_firing_for", "labels", "annotations");
  /** Annotations that carry the link the person on call needs; one of them is expected. */
  public static final List<String> PLAYBOOK_ANNOTATIONS = List.of("playbook", "runbook_url", "runbook");

  private RuleFiles() {}

  /** Loads one file. I/O errors become an error of the result, not an exception. */
  public static RuleFileResult load(Path path, ExprChecker checker) {
    requireNonNull(path, "path");
    try {
      return parse(path.toString(), Files.readString(path, StandardCharsets.UTF_8), checker);
    } catch (IOException e) {
      List<RuleProblem> errs = List.of(new RuleProblem(path.toString(), 0, false,
          "cannot read file: " + e));
      return new RuleFileResult(path.toString(), List.of(), errs, List.of());
    }
  }

  /**
   * Loads every file matching the given paths or globs ({@code rules/*.yml}), sorted by path. A
   * pattern matching nothing is an error unless it contains a glob character (as in Prometheus,
   * an empty glob is fine).
   */
  public static List<RuleFileResult> loadAll(List<String> pathsOrGlobs, ExprChecker checker) {
    List<RuleFileResult> out = new ArrayList<>();
    for (Path p : expand(pathsOrGlobs)) {
      out.add(load(p, checker));
    }
    return out;
  }

  /** The files the paths/globs denote, sorted and de-duplicated. */
  public static List<Path> expand(List<String> pathsOrGlobs) {
    TreeSet<Path> files = new TreeSet<>();
    for (String s : pathsOrGlobs) {
      if (!s.contains("*") && !s.contains("?") && !s.contains("[")) {
        files.add(Path.of(s));
        continue;
      }
      Path dir = Path.of(s).getParent() == null ? Path.of(".") : Path.of(s).getParent();
      PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + Path.of(s).getFileName());
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> st = Files.list(dir)) {
        st.filter(p -> Files.isRegularFile(p) && m.matches(p.getFileName())).forEach(files::add);
      } catch (IOException e) {
        files.add(Path.of(s));
      }
    }
    return new ArrayList<>(files);
  }

  /** Parses {@code yaml} as the content of {@code file} (used in messages only). */
  public static RuleFileResult parse(String file, String yaml, ExprChecker checker) {
    requireNonNull(file, "file");
    requireNonNull(yaml, "yaml");
    requireNonNull(checker, "checker");
    return new Parser(file, checker).parse(yaml);
  }

  private static final class Parser {
    final String file;
    final ExprChecker checker;
    final List<RuleProblem> errors = new ArrayList<>();
    final List<RuleProblem> warnings = new ArrayList<>();

    Parser(String file, ExprChecker checker) {
      this.file = file;
      this.checker = checker;
    }

    void error(Node n, String msg) {
      errors.add(new RuleProblem(file, line(n), false, msg));
    }

    void warn(Node n, String msg) {
      warnings.add(new RuleProblem(file, line(n), true, msg));
    }

    static int line(Node n) {
      return n == null ? 0 : n.getStartMark().getLine() + 1;
    }

    RuleFileResult parse(String yaml) {
      List<RuleGroupConfig> groups = new ArrayList<>();
      Node root;
      try {
        LoaderOptions opts = new LoaderOptions();
        opts.setAllowDuplicateKeys(false);
        root = new Yaml(opts).compose(new StringReader(yaml));
      } catch (MarkedYAMLException e) {
        int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
        String msg = (e.getContext() == null ? "" : e.getContext() + ", ") + e.getProblem();
        errors.add(new RuleProblem(file, line, false, "yaml: " + msg));
        return result(groups);
      } catch (YAMLException e) {
        errors.add(new RuleProblem(file, 0, false, "yaml: " + e.getMessage()));
        return result(groups);
      }
      if (root == null) {
        return result(groups);
      }
      if (!(root instanceof MappingNode m)) {
        error(root, "expected a mapping with 'groups' at the top level");
        return result(groups);
      }
      Node groupsNode = null;
      for (NodeTuple t : m.getValue()) {
        String key = scalar(t.getKeyNode());
        if ("groups".equals(key)) {
          groupsNode = t.getValueNode();
        } else {
          error(t.getKeyNode(), "field " + key + " not found in type rulefmt.RuleGroups");
        }
      }
      if (groupsNode == null || isNull(groupsNode)) {
        return result(groups);
      }
      if (!(groupsNode instanceof SequenceNode seq)) {
        error(groupsNode, "'groups' must be a list");
        return result(groups);
      }
      Map<String, Integer> seen = new HashMap<>();
      for (Node g : seq.getValue()) {
        RuleGroupConfig gc = group(g);
        if (gc == null) {
          continue;
        }
        Integer prev = seen.putIfAbsent(gc.name(), gc.line());
        if (prev != null) {
          error(g, "groupname: \"" + gc.name() + "\" is repeated in the same file (first at line "
              + prev + ")");
        }
        groups.add(gc);
      }
      return result(groups);
    }

    RuleFileResult result(List<RuleGroupConfig> groups) {
      return new RuleFileResult(file, List.copyOf(groups), List.copyOf(errors), List.copyOf(warnings));
    }

    RuleGroupConfig group(Node g) {
      if (!(g instanceof MappingNode m)) {
        error(g, "a rule group must be a mapping");
        return null;
      }
      String name = null;
      Duration interval = null;
      Duration offset = null;
      int limit = 0;
      Map<String, String> labels = Map.of();
      List<RuleConfig> rules = new ArrayList<>();
      for (NodeTuple t : m.getValue()) {
        String key = scalar(t.getKeyNode());
        Node v = t.getValueNode();
        // A null or non-scalar key (`~:`, `[a]:`) is an unknown field, not a crash.
        if (key == null || !GROUP_FIELDS.contains(key)) {
          error(t.getKeyNode(), "field " + key + " not found in type rulefmt.RuleGroup");
          continue;
        }
        switch (key) {
          case "name" -> name = scalar(v);
          case "interval" -> interval = duration(v, "interval");
          case "query_offset" -> offset = duration(v, "query_offset");
          case "limit" -> {
            try {
              limit = Integer.parseInt(scalar(v));
              if (limit < 0) {
                error(v, "limit: " + limit + " (expected: >= 0)");
              }
            } catch (NumberFormatException e) {
              error(v, "limit: \"" + scalar(v) + "\" (expected: an integer)");
            }
          }
          case "labels" -> labels = stringMap(v, "labels", true);
          default -> {
            if (v instanceof SequenceNode seq) {
              for (Node r : seq.getValue()) {
                RuleConfig rc = rule(r);
                if (rc != null) {
                  rules.add(rc);
                }
              }
            } else if (!isNull(v)) {
              error(v, "'rules' must be a list");
            }
          }
        }
      }
      if (name == null || name.isEmpty()) {
        error(g, "groupname must not be empty");
        name = "";
      }
      if (interval != null && interval.isZero()) {
        // Prometheus treats 0 as "use the global default"; keep that meaning.
        interval = null;
      }
      duplicateRules(g, rules);
      return new RuleGroupConfig(name, interval, limit, offset, labels, List.copyOf(rules), file,
          line(g));
    }

    void duplicateRules(Node g, List<RuleConfig> rules) {
      Set<String> keys = new HashSet<>();
      int dups = 0;
      for (RuleConfig r : rules) {
        String k = (r.isAlert() ? "alert:" : "record:") + r.name() + r.labels() + r.expr();
        if (!keys.add(k)) {
          dups++;
        }
      }
      if (dups > 0) {
        warn(g, dups + " duplicate rule(s) found");
      }
    }

    RuleConfig rule(Node r) {
      if (!(r instanceof MappingNode m)) {
        error(r, "a rule must be a mapping");
        return null;
      }
      Map<String, Node> f = new LinkedHashMap<>();
      for (NodeTuple t : m.getValue()) {
        String key = scalar(t.getKeyNode());
        if (key == null || !RULE_FIELDS.contains(key)) {
          error(t.getKeyNode(), "field " + key + " not found in type rulefmt.Rule");
          continue;
        }
        f.put(key, t.getValueNode());
      }
      String alert = f.containsKey("alert") ? scalar(f.get("alert")) : null;
      String record = f.containsKey("record") ? scalar(f.get("record")) : null;
      String expr = f.containsKey("expr") ? scalar(f.get("expr")) : null;
      Duration forD = f.containsKey("for") ? duration(f.get("for"), "for") : Duration.ZERO;
      Duration keep = f.containsKey("keep_firing_for")
          ? duration(f.get("keep_firing_for"), "keep_firing_for") : Duration.ZERO;
      Map<String, String> labels = f.containsKey("labels")
          ? stringMap(f.get("labels"), "labels", true) : Map.of();
      Map<String, String> annotations = f.containsKey("annotations")
          ? stringMap(f.get("annotations"), "annotations", false) : Map.of();
      boolean hasAlert = alert != null && !alert.isEmpty();
      boolean hasRecord = record != null && !record.isEmpty();
      if (hasAlert && hasRecord) {
        error(r, "only one of 'record' and 'alert' must be set");
      } else if (!hasAlert && !hasRecord) {
        error(r, "one of 'record' or 'alert' must be set");
      }
      if (expr == null || expr.isBlank()) {
        error(r, "field 'expr' must be set in rule");
      } else {
        String err = checker.check(expr);
        if (err != null) {
          error(f.get("expr"), "could not parse expression: " + err);
        }
      }
      if (hasRecord) {
        if (f.containsKey("annotations")) {
          error(f.get("annotations"), "invalid field 'annotations' in recording rule");
        }
        if (f.containsKey("for")) {
          error(f.get("for"), "invalid field 'for' in recording rule");
        }
        if (f.containsKey("keep_firing_for")) {
          error(f.get("keep_firing_for"), "invalid field 'keep_firing_for' in recording rule");
        }
        if (!METRIC_NAME.matcher(record).matches()) {
          error(f.get("record"), "invalid recording rule name: " + record);
        }
      }
      String tmplName = hasAlert ? "__alert_" + alert : "__record_" + record;
      templates(f.get("labels"), labels, tmplName, "label");
      templates(f.get("annotations"), annotations, tmplName, "annotation");
      if (hasAlert && !hasRecord) {
        playbook(r, alert, annotations);
      }
      return new RuleConfig(hasAlert ? alert : null, hasAlert ? null : record, expr,
          forD, keep, labels, annotations, line(r));
    }

    void templates(Node n, Map<String, String> values, String name, String what) {
      for (Map.Entry<String, String> e : values.entrySet()) {
        if (!AlertTemplate.isTemplated(e.getValue())) {
          continue;
        }
        try {
          AlertTemplate.parse(name, e.getValue());
        } catch (TemplateException ex) {
          error(valueNode(n, e.getKey()), what + " \"" + e.getKey() + "\": " + ex.getMessage());
        }
      }
    }

    void playbook(Node r, String alert, Map<String, String> annotations) {
      String key = null;
      for (String k : PLAYBOOK_ANNOTATIONS) {
        if (annotations.containsKey(k)) {
          key = k;
          break;
        }
      }
      if (key == null) {
        warn(r, "alert " + alert + " has no playbook or runbook_url annotation; whoever is paged "
            + "gets no instructions");
        return;
      }
      String url = annotations.get(key);
      if (AlertTemplate.isTemplated(url)) {
        // Only the expanded value can be checked; a templated link is the author's choice.
        return;
      }
      if (!isHttpUrl(url)) {
        warn(r, "alert " + alert + ": " + key + " \"" + url + "\" is not a valid http(s) URL");
      }
    }

    static boolean isHttpUrl(String s) {
      try {
        URI u = new URI(s.strip());
        return ("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
            && u.getHost() != null && !u.getHost().isEmpty();
      } catch (Exception e) {
        return false;
      }
    }

    Map<String, String> stringMap(Node n, String what, boolean labels) {
      if (isNull(n)) {
        return Map.of();
      }
      if (!(n instanceof MappingNode m)) {
        error(n, "'" + what + "' must be a mapping");
        return Map.of();
      }
      Map<String, String> out = new LinkedHashMap<>();
      for (NodeTuple t : m.getValue()) {
        String k = scalar(t.getKeyNode());
        String v = scalar(t.getValueNode());
        if (v == null) {
          error(t.getValueNode(), what + "." + k + ": expected a string value");
          continue;
        }
        if (k == null || !LABEL_NAME.matcher(k).matches() || (labels && k.equals("__name__"))) {
          error(t.getKeyNode(), "invalid " + (labels ? "label" : "annotation") + " name: " + k);
          continue;
        }
        out.put(k, v);
      }
      return out;
    }

    Duration duration(Node n, String field) {
      String s = scalar(n);
      try {
        return Durations.parse(s == null ? "" : s);
      } catch (IllegalArgumentException e) {
        error(n, field + ": " + e.getMessage());
        return Duration.ZERO;
      }
    }

    static Node valueNode(Node map, String key) {
      if (map instanceof MappingNode m) {
        for (NodeTuple t : m.getValue()) {
          if (key.equals(scalar(t.getKeyNode()))) {
            return t.getValueNode();
          }
        }
      }
      return map;
    }

    static boolean isNull(Node n) {
      return n instanceof ScalarNode s && s.getTag().getValue().endsWith(":null");
    }

    static String scalar(Node n) {
      return n instanceof ScalarNode s && !isNull(n) ? s.getValue() : null;
    }
  }
}
