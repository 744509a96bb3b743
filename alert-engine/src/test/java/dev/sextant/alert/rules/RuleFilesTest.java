package dev.sextant.alert.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RuleFilesTest {
  static final String ISSUE_7 = """
      groups:
        - name: api_alerts
          rules:
            - alert: HighErrorRate
              expr: |
                rate(http_errors_total[5m]) > 0.05
              for: 5m
              labels:
                severity: critical
                team: api
              annotations:
                summary: "High error rate detected"
                description: "Error rate is {{ $value }}% for {{ $labels.endpoint }}"
                playbook: "https://wiki.internal/playbooks/high-error-rate"
            - alert: HighLatency
              expr: |
                histogram_quantile(0.99,
                  rate(http_request_duration_seconds_bucket[5m])
                ) > 1.0
              for: 10m
              labels:
                severity: warning
              annotations:
                summary: "P99 latency is high"
                description: "P99 latency is {{ $value }}s"
      """;

  static Path promtool(String name) throws Exception {
    return Path.of(RuleFilesTest.class.getResource("/promtool/" + name).toURI());
  }

  @Test
  void parse_issue7RuleFileLoads() {
    RuleFileResult r = RuleFiles.parse("api.yml", ISSUE_7, ExprChecker.basic());
    assertThat(r.errors()).isEmpty();
    assertThat(r.groups()).hasSize(1);
    RuleGroupConfig g = r.groups().get(0);
    assertThat(g.name()).isEqualTo("api_alerts");
    assertThat(g.interval()).isNull();
    assertThat(g.rules()).extracting(RuleConfig::alert).containsExactly("HighErrorRate", "HighLatency");
    RuleConfig high = g.rules().get(0);
    assertThat(high.forDuration()).isEqualTo(Duration.ofMinutes(5));
    assertThat(high.expr()).isEqualTo("rate(http_errors_total[5m]) > 0.05\n");
    assertThat(high.labels()).containsEntry("severity", "critical").containsEntry("team", "api");
    assertThat(high.annotations()).containsKey("playbook");
    assertThat(high.line()).isEqualTo(4);
    // HighLatency has no playbook: a warning, not an error.
    assertThat(r.warnings()).singleElement().satisfies(w -> {
      assertThat(w.line()).isEqualTo(15);
      assertThat(w.message()).contains("HighLatency").contains("no playbook");
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"rules.yml", "rules_duplicates.yml", "negative-offset.yml"})
  void load_promtoolGoodFilesLoad(String name) throws Exception {
    RuleFileResult r = RuleFiles.load(promtool(name), ExprChecker.basic());
    assertThat(r.errors()).isEmpty();
    assertThat(r.ruleCount()).isPositive();
  }

  @Test
  void load_duplicateRulesWarn() throws Exception {
    RuleFileResult r = RuleFiles.load(promtool("rules_duplicates.yml"), ExprChecker.basic());
    assertThat(r.warnings()).anySatisfy(w -> assertThat(w.message()).isEqualTo("1 duplicate rule(s) found"));
  }

  @Test
  void load_rulesBadNamesFileLineAndTemplateError() throws Exception {
    RuleFileResult r = RuleFiles.load(promtool("rules-bad.yml"), ExprChecker.basic());
    assertThat(r.errors()).singleElement().satisfies(e -> {
      assertThat(e.file()).endsWith("rules-bad.yml");
      assertThat(e.line()).isEqualTo(12);
      assertThat(e.toString()).contains("rules-bad.yml:12: annotation \"summary\": template: __alert_InstanceDown:1:")
          .contains("undefined variable \"$label\"");
    });
  }

  @Test
  void load_badRuleSyntaxNamesExpression() throws Exception {
    RuleFileResult r = RuleFiles.load(promtool("bad-rules-syntax.yml"), ExprChecker.basic());
    assertThat(r.errors()).singleElement().satisfies(e -> {
      assertThat(e.line()).isEqualTo(7);
      assertThat(e.message()).startsWith("could not parse expression: ");
    });
  }

  private static List<String> errors(String yaml) {
    return RuleFiles.parse("f.yml", yaml, ExprChecker.basic()).errors().stream()
        .map(RuleProblem::toString).toList();
  }

  @Test
  void parse_reportsEachProblemWithLine() {
    assertThat(errors("""
        groups:
          - name: a
            rules: []
          - name: a
            rules: []
        """)).containsExactly("f.yml:4: groupname: \"a\" is repeated in the same file (first at line 2)");
    assertThat(errors("""
        groups:
          - name: a
            rules:
              - alert: X
                record: y
                expr: up
              - alert: Y
              - alert: Z
                expr: up
                for: 5 minutes
                labels:
                  bad-name: x
                  __name__: y
              - record: "bad name"
                expr: up
                for: 1m
                annotations:
                  a: b
              - alert: W
                expr: up
                colour: red
        """)).containsExactly(
            "f.yml:4: only one of 'record' and 'alert' must be set",
            "f.yml:7: field 'expr' must be set in rule",
            "f.yml:10: for: not a valid duration string: \"5 minutes\"",
            "f.yml:12: invalid label name: bad-name",
            "f.yml:13: invalid label name: __name__",
            "f.yml:18: invalid field 'annotations' in recording rule",
            "f.yml:16: invalid field 'for' in recording rule",
            "f.yml:14: invalid recording rule name: bad name",
            "f.yml:21: field colour not found in type rulefmt.Rule");
  }

  @Test
  void parse_yamlSyntaxErrorHasLine() {
    assertThat(errors("groups:\n  - name: a\n    rules: [\n")).singleElement()
        .satisfies(e -> assertThat(e).startsWith("f.yml:4: yaml: "));
  }

  @Test
  void parse_malformedPlaybookWarns() {
    RuleFileResult r = RuleFiles.parse("f.yml", """
        groups:
          - name: a
            interval: 30s
            rules:
              - alert: X
                expr: up == 0
                annotations:
                  runbook_url: "wiki/page"
        """, ExprChecker.basic());
    assertThat(r.errors()).isEmpty();
    assertThat(r.groups().get(0).interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(r.warnings()).singleElement()
        .satisfies(w -> assertThat(w.message()).contains("runbook_url \"wiki/page\" is not a valid http(s) URL"));
  }

  @Test
  void expand_globsSortedFiles() throws Exception {
    Path dir = promtool("rules.yml").getParent();
    List<Path> files = RuleFiles.expand(List.of(dir + "/rules*.yml"));
    assertThat(files).extracting(p -> p.getFileName().toString())
        .containsExactly("rules-bad.yml", "rules.yml", "rules_duplicates.yml");
  }
}
