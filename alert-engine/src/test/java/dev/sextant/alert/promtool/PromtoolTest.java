package dev.sextant.alert.promtool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.alert.rules.ExprChecker;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.StaleMarker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PromtoolTest {
  static Path promtool(String name) throws Exception {
    return Path.of(PromtoolTest.class.getResource("/promtool/" + name).toURI());
  }

  static String show(List<Double> vs) {
    StringBuilder sb = new StringBuilder();
    for (double v : vs) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(SeriesNotation.isMissing(v) ? "_" : StaleMarker.isStale(v) ? "stale"
          : v == Math.rint(v) && !Double.isInfinite(v) ? String.valueOf((long) v) : String.valueOf(v));
    }
    return sb.toString();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "-2+4x3|-2 2 6 10",
      "1-2x4|1 -1 -3 -5 -7",
      "1x4|1 1 1 1 1",
      "1 _x3 stale|1 _ _ _ stale",
      "0+10x3|0 10 20 30",
      "10+10x2 30+20x5|10 20 30 30 50 70 90 110 130",
      "0 _ _ 0|0 _ _ 0",
      "1.5|1.5",
      "Inf -Inf|Infinity -Infinity",
  })
  void expandValues_promtoolNotation(String in, String out) {
    assertThat(show(SeriesNotation.expandValues(in))).isEqualTo(out);
  }

  @Test
  void expandValues_badTokenNamed() {
    assertThatThrownBy(() -> SeriesNotation.expandValues("1 2+x3"))
        .hasMessageContaining("\"2+x3\"");
  }

  @Test
  void parseSeries_notation() {
    assertThat((Object) SeriesNotation.parseSeries("up{job=\"prometheus\", instance=\"localhost:9090\"}"))
        .isEqualTo(Labels.of("__name__", "up", "job", "prometheus", "instance", "localhost:9090"));
    assertThat((Object) SeriesNotation.parseSeries("{alertname=\"X\",alertstate=\"firing\"}"))
        .isEqualTo(Labels.of("alertname", "X", "alertstate", "firing"));
    assertThat((Object) SeriesNotation.parseSeries("requests{}")).isEqualTo(Labels.of("__name__", "requests"));
    assertThatThrownBy(() -> SeriesNotation.parseSeries("up{job=prom}")).hasMessageContaining("bad label");
  }

  @Test
  void parse_unittestClassic() throws Exception {
    PromtoolTestFile f = PromtoolTestParser.parse(promtool("unittest-classic.yml"));
    assertThat(f.ruleFiles()).containsExactly("rules.yml");
    assertThat(f.evaluationInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(f.tests()).hasSizeGreaterThanOrEqualTo(5);
    var first = f.tests().get(0);
    assertThat(first.inputSeries()).hasSize(5);
    assertThat(show(first.inputSeries().get(2).values())).isEqualTo("1 2 3");
    var alerts = f.tests().get(3).alertTests();
    assertThat(alerts.get(0).evalTime()).isEqualTo(Duration.ofDays(1));
    assertThat(alerts.get(1).expAlerts().get(0).labels()).containsEntry("instance", "localhost:9090");
    assertThat(f.tests().get(4).exprTests().get(5).evalTime())
        .isEqualTo(Duration.ofMinutes(2).plusSeconds(59).plusMillis(999));
  }

  @Test
  void parse_otherPromtoolFiles() throws Exception {
    assertThat(PromtoolTestParser.parse(promtool("long-period.yml")).tests().get(0).inputSeries()
        .get(0).values()).hasSize(1068);
    assertThat(PromtoolTestParser.parse(promtool("bad-promql.yml")).tests()).hasSize(1);
    assertThat(PromtoolTestParser.parse(promtool("negative-offset-test.yml")).ruleFiles())
        .containsExactly("negative-offset.yml");
  }

  @Test
  void run_failingFileFailsWithReadableDiff() throws Exception {
    PromtoolTestRunner r = new PromtoolTestRunner(SimpleTestEngine::new, ExprChecker.basic());
    PromtoolTestRunner.Result res = r.run(promtool("failing.yml"));
    assertThat(res.passed()).isFalse();
    assertThat(res.output())
        .contains("name: Failing test,")
        .contains("expr: \"test\", time: 0s,\n        exp: test{} 1.000000E+00\n        got: test{} 0.000000E+00")
        .contains("alertname: Test, time: 0s, \n        exp:[\n            0:\n              Labels:{alertname=\"Test\"}")
        .contains("name: Failing alert test,")
        .contains("alertname: InstanceDown, time: 5m")
        .contains("alertname: AlwaysFiring, time: 5m");
  }

  @Test
  void run_documentationExamplePasses(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("alerts.yml"), """
        groups:
        - name: example
          rules:
          - alert: InstanceDown
            expr: up == 0
            for: 5m
            labels:
                severity: page
            annotations:
                summary: "Instance {{ $labels.instance }} down"
                description: "{{ $labels.instance }} of job {{ $labels.job }} has been down for more than 5 minutes."
                runbook_url: https://wiki/instance-down
        """);
    Files.writeString(dir.resolve("test.yml"), """
        rule_files:
            - alerts.yml
        evaluation_interval: 1m
        tests:
            - interval: 1m
              input_series:
                  - series: 'up{job="prometheus", instance="localhost:9090"}'
                    values: '0 0 0 0 0 0 0 0 0 0 0 0 0 0 0'
                  - series: 'up{job="node_exporter", instance="localhost:9100"}'
                    values: '1+0x6 0 0 0 0 0 0 0 0'
              alert_rule_test:
                  - eval_time: 10m
                    alertname: InstanceDown
                    exp_alerts:
                        - exp_labels:
                              severity: page
                              instance: localhost:9090
                              job: prometheus
                          exp_annotations:
                              summary: "Instance localhost:9090 down"
                              description: "localhost:9090 of job prometheus has been down for more than 5 minutes."
                              runbook_url: https://wiki/instance-down
                  - eval_time: 4m
                    alertname: InstanceDown
                    exp_alerts: []
              promql_expr_test:
                  - expr: up == 0
                    eval_time: 8m
                    exp_samples:
                        - labels: 'up{job="prometheus",instance="localhost:9090"}'
                          value: 0
                        - labels: 'up{job="node_exporter",instance="localhost:9100"}'
                          value: 0
        """);
    PromtoolTestRunner.Result res = new PromtoolTestRunner(SimpleTestEngine::new, ExprChecker.basic())
        .run(dir.resolve("test.yml"));
    assertThat(res.output()).endsWith("  SUCCESS\n");
    assertThat(res.passed()).isTrue();
    assertThat(Instant.EPOCH).isNotNull();
  }
}
