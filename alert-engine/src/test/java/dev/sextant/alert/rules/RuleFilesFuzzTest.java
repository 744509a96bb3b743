package dev.sextant.alert.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sextant.alert.internal.template.AlertTemplate;
import dev.sextant.alert.internal.template.TemplateContext;
import dev.sextant.query.promql.parser.ParseException;
import dev.sextant.query.promql.parser.Parser;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Any rule file either loads or comes back with errors naming the problem: {@link
 * RuleFiles#parse} never throws, and the label and annotation templates of a file that loads
 * expand (to text or to {@code <error expanding template: ...>}) without throwing or hanging.
 * Expressions are checked by the real PromQL parser, as the server does.
 *
 * <p>Seeds in {@code RuleFilesFuzzTestInputs/}. To fuzz: {@code JAZZER_FUZZ=1 mvn -pl
 * alert-engine test -Dtest=RuleFilesFuzzTest -Djazzer.max_duration=10m}.
 */
class RuleFilesFuzzTest {
  private static final ExprChecker PROMQL = expr -> {
    try {
      Parser.parse(expr);
      return null;
    } catch (ParseException e) {
      return e.getMessage();
    }
  };

  @FuzzTest(maxDuration = "5m")
  void parse_anyYaml_rulesOrErrors(byte[] data) {
    String yaml = new String(data, StandardCharsets.UTF_8);
    RuleFileResult result = RuleFiles.parse("fuzz.yml", yaml, PROMQL);
    assertThat(result.errors()).allSatisfy(e -> assertThat(e.toString()).isNotBlank());
    if (!result.ok()) {
      return;
    }
    TemplateContext ctx = TemplateContext.of(Map.of("instance", "host:9100", "job", "node"), 42);
    for (RuleGroupConfig group : result.groups()) {
      for (RuleConfig rule : group.rules()) {
        assertThat(rule.expr()).isNotNull();
        rule.labels().forEach((k, v) -> assertThat(AlertTemplate.expand(k, v, ctx)).isNotNull());
        rule.annotations().forEach((k, v) ->
            assertThat(AlertTemplate.expand(k, v, ctx)).isNotNull());
      }
    }
  }
}
