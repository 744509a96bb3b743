package dev.sextant.ui.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.alert.notify.Silence;
import dev.sextant.query.promql.QueryResult;
import dev.sextant.storage.metrics.Labels;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The pure helpers behind the metrics, alerts and services pages. */
class PageHelpersTest {
  @Test
  void charts_alignSeriesOnTheStepGridWithGaps() {
    QueryResult.Series s = new QueryResult.Series(Labels.of("__name__", "up", "job", "a"),
        new long[] {1000, 3000, 4000}, new double[] {1, Double.NaN, 4});
    Map<String, Object> c = Charts.of(List.of(s), 1000, 4000, 1000, "ratio", 10);
    assertThat(c.get("x")).isEqualTo(List.of(1.0, 2.0, 3.0, 4.0));
    @SuppressWarnings("unchecked")
    Map<String, Object> first = ((List<Map<String, Object>>) c.get("series")).get(0);
    assertThat(first.get("values")).isEqualTo(Arrays.asList(1.0, null, null, 4.0));
    assertThat(first.get("label")).isEqualTo("up{job=\"a\"}");
    assertThat(Charts.label(Labels.of("__name__", "p90"))).isEqualTo("p90");
    assertThat(Charts.json(c)).doesNotContain("NaN");
  }

  @Test
  void charts_capTheNumberOfSeries() {
    QueryResult.Series s = new QueryResult.Series(Labels.EMPTY, new long[0], new double[0]);
    Map<String, Object> c = Charts.of(List.of(s, s, s), 0, 0, 1000, "", 2);
    assertThat((List<?>) c.get("series")).hasSize(2);
  }

  @Test
  void ranges_acceptDurationsFromAMinuteToAMonth() {
    assertThat(Ranges.millis("range", "1h")).isEqualTo(3_600_000);
    assertThat(Ranges.millis("range", "90m")).isEqualTo(5_400_000);
    assertThatThrownBy(() -> Ranges.millis("range", "10s"))
        .hasMessageStartingWith("range: 10s (expected: a duration from 1m to 31d");
    assertThatThrownBy(() -> Ranges.millis("range", "soon")).hasMessageContaining("range: soon");
    assertThat(Ranges.autoStepMillis(3_600_000)).isEqualTo(15_000);
    assertThat(Ranges.autoStepMillis(60_000)).isEqualTo(1_000);
    assertThat(Ranges.options("2h").get(0)).containsEntry("selected", true);
  }

  @Test
  void check_reportsLineAndColumn() {
    assertThat(MetricsPage.check("sum(up)")).containsEntry("ok", true);
    Map<String, Object> bad = MetricsPage.check("sum(up)\n  + rate(x[5m]");
    assertThat(bad).containsEntry("ok", false).containsEntry("line", 2);
    assertThat((String) bad.get("error")).startsWith("2:");
  }

  @Test
  void endMillis_readsUnixSecondsAndRfc3339() {
    assertThat(MetricsPage.endMillis("1700000000.5")).isEqualTo(1_700_000_000_500L);
    assertThat(MetricsPage.endMillis("2023-11-14T22:13:20Z")).isEqualTo(1_700_000_000_000L);
    assertThatThrownBy(() -> MetricsPage.endMillis("yesterday"))
        .hasMessage("end: yesterday (expected: RFC 3339 time or unix seconds)");
    for (String bad : new String[] {"NaN", "Infinity", "1e309", "1d", "0x1p3"}) {
      assertThatThrownBy(() -> MetricsPage.endMillis(bad))
          .hasMessage("end: " + bad + " (expected: RFC 3339 time or unix seconds)");
    }
    assertThat(MetricsPage.endMillis("1e-500000000")).isZero(); // a double, parsed at once
    assertThatThrownBy(() -> MetricsPage.endMillis("1".repeat(100_000)))
        .hasMessage("end: " + "1".repeat(64) + "... (expected: RFC 3339 time or unix seconds)");
  }

  @Test
  void groupMatchers_takeTheLabelsOfANotificationsGroupKey() {
    assertThat(AlertsPage.groupMatchers("{}/{severity=\"critical\"}:{alertname=\"X\", job=\"a\"}"))
        .extracting(m -> m.name() + "=" + m.value()).containsExactly("alertname=X", "job=a");
    assertThat(AlertsPage.groupMatchers("{}:{}")).isEmpty();
    assertThatThrownBy(() -> AlertsPage.groupMatchers("{}:{not a matcher"))
        .hasMessageStartingWith("group: {}:{not a matcher (expected: a group key");
  }

  @Test
  void silence_fromTheFormFields() {
    Silence s = SilenceActions.silence("alertname=\"X\", job=~\"a|b\"", "90m", "", "why");
    assertThat(s.matchers()).containsExactly("alertname=\"X\"", "job=~\"a|b\"");
    assertThat(s.createdBy()).isEqualTo("web-ui");
    assertThat(Duration.between(s.startsAt(), s.endsAt()).toMinutes()).isEqualTo(90);
    assertThatThrownBy(() -> SilenceActions.silence("", "1h", "", ""))
        .hasMessageStartingWith("matchers: empty");
    assertThatThrownBy(() -> SilenceActions.silence("x=\"1\"", "10s", "", ""))
        .hasMessage("duration: 10s (expected: between 1m and 90d)");
    assertThatThrownBy(() -> SilenceActions.silence("=oops", "1h", "", ""))
        .hasMessageStartingWith("matchers: =oops (expected:");
  }

  @Test
  void silence_regexIsRe2_catastrophicFastAndLookaroundRefused() {
    Silence s = SilenceActions.silence("alertname=\"X\", job=~\"(a|aa)*b\"", "1h", "", "");
    assertThat(s.mutes(Labels.of("alertname", "X", "job",
        "a".repeat(40_000)), s.startsAt())).isFalse();
    assertThatThrownBy(() -> SilenceActions.silence("job=~\"(?=a)\"", "1h", "", ""))
        .hasMessage("matchers: invalid regular expression \"(?=a)\": error parsing regexp: "
            + "invalid or unsupported Perl syntax: `(?=`");
  }

  @Test
  void alertRows_silenceMatchersEscapeAndLinksStaySafe() {
    TreeMap<String, String> labels = new TreeMap<>(Map.of("alertname", "X", "msg", "a \"b\""));
    assertThat(AlertRows.matchers(labels)).isEqualTo("alertname=\"X\", msg=\"a \\\"b\\\"\"");
    assertThat(AlertRows.local("http://sextant.example:8686/ui/traces/abc?span=1"))
        .isEqualTo("/ui/traces/abc?span=1");
    assertThat(AlertRows.local("https://wiki.example/x")).isEqualTo("https://wiki.example/x");
    assertThat(Formats.safeHref("javascript:alert(1)")).isEqualTo("#");
    assertThat(Formats.safeHref("//evil.example")).isEqualTo("#");
    assertThat(AlertRows.playbook(Map.of("runbook_url", "https://w/x"))).isEqualTo("https://w/x");
    assertThat(AlertRows.playbook(Map.of("playbook", "JavaScript:x"))).isEqualTo("#");
  }

  @Test
  void formats_signalValuesInTheirUnits() {
    assertThat(Formats.value(0.0452, "seconds")).isEqualTo("45.2ms");
    assertThat(Formats.value(3.1, "requests/s")).isEqualTo("3.10/s");
    assertThat(Formats.value(0.015, "ratio")).isEqualTo("1.50%");
    assertThat(Formats.value(Double.NaN, "ratio")).isEqualTo("–");
    assertThat(Formats.significant(0.17905140740740738)).isEqualTo("0.1791");
    assertThat(Formats.significant(12)).isEqualTo("12");
    assertThat(Lookback.closest("3h")).isEqualTo("6h");
    assertThat(Lookback.closest("30d")).isEqualTo("all");
  }
}
