package dev.sextant.alert.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.alert.NotifierConfig;
import dev.sextant.alert.api.AlertApiJson;
import dev.sextant.storage.metrics.InvalidRegexException;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Silence, route and inhibit matchers: RE2, so no pattern stalls notification. */
class MatchersRegexTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final String LONG = "a".repeat(50_000);

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void silence_catastrophicPattern_mutesQuickly() {
    Silence s = new Silence("s", List.of("alertname=\"Down\"", "instance=~\"(a|aa)*b\"",
        "job!~\"(x+x+)+y\""), T0, T0.plusSeconds(3600), "me", "");
    Labels alert = Labels.of("alertname", "Down", "instance", LONG + "c", "job", "x".repeat(5000));
    // java.util.regex would not finish either match; RE2 takes milliseconds. Many alerts, too.
    for (int i = 0; i < 200; i++) {
      assertThat(s.mutes(alert, T0.plusSeconds(1))).isFalse();
    }
    assertThat(s.mutes(Labels.of("alertname", "Down", "instance", "aab", "job", "j"),
        T0.plusSeconds(1))).isTrue();
  }

  @Test
  void silence_unsupportedRegex_refusedNamingTheMatcher() {
    assertThatThrownBy(() -> new Silence("s", List.of("alertname=\"Down\"",
        "instance=~\"(?<!db)-1\""), T0, T0.plusSeconds(60), "me", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("matchers[1]: invalid regular expression \"(?<!db)-1\": error parsing "
            + "regexp: invalid named capture: `(?<!db)-1`");
    assertThatThrownBy(() -> new Silence("s", List.of("a=~\"" + "x".repeat(20_000) + "\""), T0,
        T0.plusSeconds(60), "me", ""))
        .hasMessageStartingWith("matchers[0]: invalid regular expression")
        .hasMessageContaining("expression too long");
  }

  @Test
  void parseSilence_apiJsonWithBackreference_refused() {
    String body = "{\"matchers\":[{\"name\":\"job\",\"value\":\"(a)\\\\1\",\"isRegex\":true}],"
        + "\"startsAt\":\"2026-01-01T00:00:00Z\",\"endsAt\":\"2026-01-01T01:00:00Z\"}";
    assertThatThrownBy(() -> AlertApiJson.parseSilence(body))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("matchers[0]: invalid regular expression \"(a)\\\\1\"")
        .hasMessageContaining("invalid escape sequence");
  }

  @Test
  void parse_quotedValuesAndEscapes() {
    assertThat(Matchers.parse("{severity=\"critical\", team=~\"a|b\" , env!=prod}"))
        .containsExactly(LabelMatcher.eq("severity", "critical"), LabelMatcher.re("team", "a|b"),
            LabelMatcher.neq("env", "prod"));
    assertThat(Matchers.parse("a=\"q\\\"uote\\\\d\\n\",b=~\"\\d+\""))
        .containsExactly(LabelMatcher.eq("a", "q\"uote\\d\n"), LabelMatcher.re("b", "\\d+"));
    assertThat(Matchers.parse("")).isEmpty();
    for (String bad : new String[] {"=x", "a", "a=\"x", "a=\"x\" y", "a=x\"", "1a=b", "a=b,,c=d"}) {
      assertThatThrownBy(() -> Matchers.parse(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessage("bad matcher format: " + bad);
    }
  }

  @Test
  void parse_longQuotedValue_noStackOverflow() {
    // The old java.util.regex scanner recursed once per character of a quoted value.
    String v = "x\\\"".repeat(50_000);
    assertThat(Matchers.parse("a=\"" + v + "\"")).singleElement()
        .extracting(LabelMatcher::value).isEqualTo("x\"".repeat(50_000));
  }

  @Test
  void notifierConfig_badRegexInRouteOrInhibitRule_namesWhere() {
    String base = """
        receivers: [{name: r}]
        route:
          receiver: r
          routes:
            - receiver: r
              matchers: ['%s']
        inhibit_rules:
          - source_matchers: ['%s']
            target_matchers: ['b="y"']
        """;
    assertThatThrownBy(
        () -> NotifierConfig.parse(base.formatted("a=~\"(?=x)\"", "a=\"x\""), null))
        .hasMessageStartingWith("line 5: route.routes[0]: invalid regular expression \"(?=x)\"");
    assertThatThrownBy(
        () -> NotifierConfig.parse(base.formatted("a=\"x\"", "a=~\"x**\""), null))
        .hasMessageStartingWith("line 8: inhibit_rules[0]: invalid regular expression \"x**\"")
        .hasCauseInstanceOf(InvalidRegexException.class);
  }
}
