package dev.sextant.alert.internal.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bounded formatting: hostile templates end in a template error, never an OOM or a hang. */
class TemplateLimitsTest {
  static TemplateContext ctx() {
    return new TemplateContext(Map.of("job", "node"), Map.of(), "http://x", 1.5,
        (q, t) -> List.of(), Instant.EPOCH);
  }

  static String execute(String text) throws TemplateException {
    return AlertTemplate.parse("t", text).execute(ctx());
  }

  @Test
  void printf_hugeWidthOrPrecision_isATemplateError() {
    for (String f : List.of("%1500000000s", "%1025s", "%.1500000000f", "%-99999999999999999999d",
        "%.2000e")) {
      assertThatThrownBy(() -> execute("{{ printf \"" + f + "\" 1.5 }}")).as(f)
          .isInstanceOf(TemplateException.class)
          .hasMessageContaining("error calling printf: printf: ")
          .hasMessageContaining("exceeds the limit of 1024");
    }
    assertThatThrownBy(() -> execute("{{ printf \"%*d\" 1500000000 7 }}"))
        .hasMessageContaining("printf: width 1500000000 exceeds the limit of 1024");
    assertThat(AlertTemplate.expand("t", "{{ printf \"%1500000000s\" \"x\" }}", ctx()))
        .startsWith("<error expanding template: template: t:1:1: executing \"t\" at <");
  }

  @Test
  void printf_atTheLimit_works() throws TemplateException {
    assertThat(execute("{{ printf \"%1024s\" \"x\" }}")).hasSize(1024).endsWith(" x");
    assertThat(execute("{{ printf \"%.3f\" 1.5 }}")).isEqualTo("1.500");
  }

  @Test
  void execute_outputOverTheCap_isATemplateError() {
    assertThatThrownBy(() -> execute("{{ range 100 }}{{ printf \"%1000s\" \"x\" }}{{ end }}"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("output exceeds the limit of 65536 characters");
  }

  @Test
  void execute_doublingStringInARange_stopsAtTheCap() {
    String t = "{{ $x := \"ab\" }}{{ range 60 }}{{ $x = printf \"%s%s\" $x $x }}{{ end }}"
        + "{{ len $x }}";
    assertThatThrownBy(() -> execute(t))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("error calling printf: result exceeds the limit of 65536");
  }

  @Test
  void range_hugeCount_isATemplateError() {
    assertThatThrownBy(() -> execute("{{ range 1000000000000 }}{{ end }}"))
        .hasMessageContaining("range iterations exceed the limit of 100000");
    assertThatThrownBy(() -> execute("{{ range 1000 }}{{ range 1000 }}{{ end }}{{ end }}"))
        .hasMessageContaining("range iterations exceed the limit of 100000");
  }

  @Test
  void parse_deepNesting_isATemplateError() {
    String ifs = "{{ if 1 }}".repeat(101) + "{{ end }}".repeat(101);
    assertThatThrownBy(() -> AlertTemplate.parse("t", ifs))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("nesting exceeds the limit of 100 levels");
    String parens = "{{ " + "(".repeat(20_000) + "1" + ")".repeat(20_000) + " }}";
    assertThatThrownBy(() -> AlertTemplate.parse("t", parens))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("nesting exceeds the limit of 100 levels");
  }
}
