package dev.sextant.alert.internal.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.alert.query.Sample;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlertTemplateTest {
  private static final Map<String, String> LABELS =
      Map.of("instance", "host-1.example.com:9100", "job", "node", "endpoint", "/api");

  private static String run(String text, double value) {
    TemplateContext ctx = new TemplateContext(LABELS, Map.of("cluster", "eu1"),
        "https://sextant.example/prefix", value,
        (q, t) -> List.of(Sample.of(3, "__name__", "up", "instance", "b"),
            Sample.of(7, "__name__", "up", "instance", "a")),
        Instant.EPOCH);
    return AlertTemplate.expand("__alert_Test", text, ctx);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '#', quoteCharacter = '\'', ignoreLeadingAndTrailingWhitespace = false, value = {
      "Error rate is {{ $value }}% for {{ $labels.endpoint }}#5.5#Error rate is 5.5% for /api",
      "{{ .Value }} {{ .Labels.job }}#1000000#1e+06 node",
      "{{ $value }}#123456#123456",
      "{{ $value }}#0.0001#0.0001",
      "{{ $value }}#0.00001#1e-05",
      "{{ $labels.missing }}x#1#x",
      "{{ $externalLabels.cluster }}#1#eu1",
      "{{ humanize $value }}#1234567#1.235M",
      "{{ humanize $value }}#0.00123#1.23m",
      "{{ humanize $value }}#0#0",
      "{{ humanize1024 $value }}#1048576#1Mi",
      "{{ humanizePercentage $value }}#0.1234#12.34%",
      "{{ humanizeDuration $value }}#90061#1d 1h 1m 1s",
      "{{ humanizeDuration $value }}#1.5#1.5s",
      "{{ humanizeDuration $value }}#0.25#250ms",
      "{{ humanizeTimestamp $value }}#1.5#1970-01-01 00:00:01.5 +0000 UTC",
      "{{ printf \"%.2f\" $value }}#3.14159#3.14",
      "{{ printf \"%d\" $value }}#3#%!d(float64=3)",
      "{{ printf \"%s is %v\" $labels.job $value }}#2#node is 2",
      "{{ printf \"%5.1f|\" $value }}#2#  2.0|",
      "{{ $value | printf \"%.1f\" }}#2.25#2.2",
      "{{ title \"hello world-x\" }}#0#Hello World-X",
      "{{ toUpper $labels.job }} {{ toLower \"AB\" }}#0#NODE ab",
      "{{ if gt $value 10.0 }}high{{ else }}low{{ end }}#11#high",
      "{{ if gt $value 10 }}high{{ else if gt $value 5 }}mid{{ else }}low{{ end }}#6#mid",
      "{{ if and (gt $value 1.0) (eq $labels.job \"node\") }}y{{ end }}#2#y",
      "{{ if or (lt $value 1.0) (ne $labels.job \"node\") }}y{{ else }}n{{ end }}#2#n",
      "{{ range $k, $v := $labels }}{{ $k }}={{ $v }};{{ end }}#0#endpoint=/api;instance=host-1.example.com:9100;job=node;",
      "{{ with $labels.job }}job={{ . }}{{ end }}#0#job=node",
      "{{ with $labels.nope }}x{{ else }}none{{ end }}#0#none",
      "{{ $x := 5 }}{{ $x }}#0#5",
      "{{- \" a \" -}}  b#0# a b",
      "{{ stripPort $labels.instance }}#0#host-1.example.com",
      "{{ stripDomain $labels.instance }}#0#host-1:9100",
      "{{ range query \"up\" }}{{ .Labels.instance }}={{ .Value }} {{ end }}#0#b=3 a=7 ",
      "{{ with query \"up\" | sortByLabel \"instance\" | first }}{{ label \"instance\" . }}{{ value . }}{{ end }}#0#a7",
      "{{ reReplaceAll \"(.*):.*\" \"${1}\" $labels.instance }}#0#host-1.example.com",
      "{{ match \"^host\" $labels.instance }}#0#true",
      "{{ len $labels }}#0#3",
      "{{ index $labels \"job\" }}#0#node",
      "{{ pathPrefix }}{{ graphLink \"up\" }}#0#/prefix/prefix/graph?g0.expr=up&g0.tab=0",
      "{{/* comment */}}ok#0#ok",
      "{{ humanize \"1234\" }}#0#1.234k",
  })
  void expand_rendersLikePrometheus(String text, double value, String expected) {
    assertThat(run(text, value)).isEqualTo(expected);
  }

  @Test
  void expand_executionErrorIsAValue() {
    assertThat(run("{{ humanize \"abc\" }}", 0)).startsWith("<error expanding template: ")
        .contains("error calling humanize").contains("invalid syntax");
    assertThat(run("{{ .Nope }}", 0)).contains("can't evaluate field Nope");
    assertThat(run("{{ if }}", 0)).startsWith("<error expanding template: ");
  }

  @Test
  void matchAndReReplaceAll_re2() {
    // Backtracking would never finish these; RE2 is linear. Go's ReplaceAllString semantics.
    String longA = "a".repeat(30_000);
    assertThat(run("{{ match \"(a|aa)*b\" \"" + longA + "\" }}", 0)).isEqualTo("false");
    assertThat(run("{{ reReplaceAll \"(x+x+)+y\" \"z\" \"" + "x".repeat(30_000) + "\" }}", 0))
        .hasSize(30_000);
    assertThat(run("{{ reReplaceAll \"a*\" \"x\" \"baaac\" }}", 0)).isEqualTo("xbxcx");
    assertThat(run("{{ reReplaceAll \"(?P<h>[^.]+)\\\\..*\" \"$h\" $labels.instance }}", 0))
        .isEqualTo("host-1");
    assertThat(run("{{ match \"(?=a)\" \"a\" }}", 0)).startsWith("<error expanding template: ")
        .contains("error calling match: invalid regular expression \"(?=a)\"");
  }

  @Test
  void parse_rejectsUndefinedVariable() {
    assertThatThrownBy(() -> AlertTemplate.parse("__alert_X", "Instance {{ $label.foo }} down"))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("undefined variable \"$label\"");
  }

  @Test
  void parse_rejectsUnknownFunctionAndUnclosedAction() {
    assertThatThrownBy(() -> AlertTemplate.parse("t", "{{ humanise $value }}"))
        .hasMessageContaining("function \"humanise\" not defined");
    assertThatThrownBy(() -> AlertTemplate.parse("t", "{{ $value "))
        .hasMessageContaining("unclosed action");
    assertThatThrownBy(() -> AlertTemplate.parse("t", "{{ if $value }}x"))
        .hasMessageContaining("unexpected EOF");
    assertThatThrownBy(() -> AlertTemplate.parse("t", "{{ end }}"))
        .hasMessageContaining("unexpected {{end}}");
  }

  @Test
  void expand_plainTextIsReturnedAsIs() {
    assertThat(run("no templates here", 0)).isEqualTo("no templates here");
  }
}
