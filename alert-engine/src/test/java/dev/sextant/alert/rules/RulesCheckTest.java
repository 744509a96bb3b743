package dev.sextant.alert.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RulesCheckTest {
  @Test
  void run_printsLikePromtool() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String good = RuleFilesTest.promtool("rules.yml").toString();
    String bad = RuleFilesTest.promtool("rules-bad.yml").toString();
    int code = RulesCheck.run(List.of(good, bad), ExprChecker.basic(), false,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("SUCCESS: 5 rules found");
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("FAILED:")
        .contains("rules-bad.yml:12: annotation \"summary\": template: __alert_InstanceDown")
        .contains("no playbook");
    assertThat(RulesCheck.run(List.of(good), ExprChecker.basic(), false, new PrintStream(out),
        new PrintStream(err))).isZero();
    assertThat(RulesCheck.run(List.of(good), ExprChecker.basic(), true, new PrintStream(out),
        new PrintStream(err))).isEqualTo(1);
  }
}
