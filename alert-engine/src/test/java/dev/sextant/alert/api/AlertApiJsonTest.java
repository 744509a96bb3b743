package dev.sextant.alert.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.alert.query.Sample;
import dev.sextant.alert.eval.RuleManager;
import dev.sextant.alert.notify.Silence;
import dev.sextant.alert.rules.ExprChecker;
import dev.sextant.alert.rules.RuleFiles;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlertApiJsonTest {
  @ParameterizedTest
  @CsvSource({"1, 1e+00", "0.12, 1.2e-01", "0, 0e+00", "-1234.5, -1.2345e+03", "1e-10, 1e-10"})
  void formatValue_likePrometheus(double v, String expected) {
    assertThat(AlertApiJson.formatValue(v)).isEqualTo(expected);
  }

  @Test
  void rulesAndAlerts_prometheusShape() {
    RuleManager m = RuleManager.builder((q, t) -> List.of(Sample.of(0.5, "job", "api")))
        .clock(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC)).build();
    m.update(RuleFiles.parse("r.yml", """
        groups:
          - name: g
            rules:
              - alert: A
                expr: x > 0
                for: 5m
                annotations: {runbook_url: "https://wiki/a"}
              - record: r:x
                expr: x
        """, ExprChecker.basic()).groups());
    m.tick();
    JsonNode rules = AlertApiJson.rules(m.groups(), null);
    assertThat(rules.get("status").asText()).isEqualTo("success");
    JsonNode g = rules.get("data").get("groups").get(0);
    assertThat(g.get("interval").asDouble()).isEqualTo(60);
    JsonNode a = g.get("rules").get(0);
    assertThat(a.get("type").asText()).isEqualTo("alerting");
    assertThat(a.get("state").asText()).isEqualTo("pending");
    assertThat(a.get("duration").asDouble()).isEqualTo(300);
    assertThat(a.get("health").asText()).isEqualTo("ok");
    assertThat(a.get("alerts").get(0).get("value").asText()).isEqualTo("5e-01");
    assertThat(g.get("rules").get(1).get("type").asText()).isEqualTo("recording");
    assertThat(AlertApiJson.rules(m.groups(), "alert").get("data").get("groups").get(0)
        .get("rules")).hasSize(1);
    JsonNode alerts = AlertApiJson.alerts(m.alerts()).get("data").get("alerts");
    assertThat(alerts.get(0).get("labels").get("alertname").asText()).isEqualTo("A");
    assertThat(alerts.get(0).get("activeAt").asText()).isEqualTo("2026-01-01T00:00:00Z");
  }

  @Test
  void parseSilence_alertmanagerV2() {
    Silence s = AlertApiJson.parseSilence("""
        {"matchers":[{"name":"alertname","value":"High.*","isRegex":true},
                     {"name":"env","value":"prod","isRegex":false,"isEqual":false}],
         "startsAt":"2026-01-01T00:00:00Z","endsAt":"2026-01-01T02:00:00Z",
         "createdBy":"me","comment":"deploy"}
        """);
    assertThat(s.matchers()).containsExactly("alertname=~\"High.*\"", "env!=\"prod\"");
    JsonNode out = AlertApiJson.silences(List.of(s), Instant.parse("2026-01-01T01:00:00Z"));
    assertThat(out.get(0).get("status").get("state").asText()).isEqualTo("active");
    assertThat(out.get(0).get("matchers").get(1).get("isEqual").asBoolean()).isFalse();
    assertThatThrownBy(() -> AlertApiJson.parseSilence("{\"matchers\":[]}"))
        .hasMessageContaining("matchers: missing");
    assertThatThrownBy(() -> AlertApiJson.parseSilence(
        "{\"matchers\":[{\"name\":\"a\",\"value\":\"b\"}],\"startsAt\":\"x\"}"))
        .hasMessageContaining("startsAt: \"x\"");
  }
}
