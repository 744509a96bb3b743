package dev.sextant.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void parse_prometheusDurations() {
    assertThat(Durations.parse("x", "1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("x", "500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parseMillis("1y1w1d1h1m1s1ms")).isEqualTo(
        365L * 86_400_000 + 7L * 86_400_000 + 86_400_000 + 3_600_000 + 60_000 + 1000 + 1);
    assertThat(Durations.parseMillis("2d")).isEqualTo(2 * 86_400_000L);
    assertThat(Durations.parseMillis("1w")).isEqualTo(7 * 86_400_000L);
    assertThat(Durations.parseMillis("90s")).isEqualTo(90_000);
    assertThat(Durations.parseMillis("0s")).isZero();
    assertThat(Durations.parseMillis("1m0s")).isEqualTo(60_000);
    assertThat(Durations.parseMillis("007m")).isEqualTo(420_000);
    assertThat(Durations.parseMillis("9223372036854775807ms")).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void parse_zeroAloneIsZero() {
    assertThat(Durations.parseMillis("0")).isZero();
    assertThat(Durations.parse("x", "0")).isEqualTo(Duration.ZERO);
    assertThat(Durations.isValid("0")).isTrue();
    assertThat(Durations.isValid("00")).isFalse();
    assertThat(Durations.isValid("15")).isFalse();
  }

  @Test
  void parse_refusesWhatPrometheusRefuses() {
    for (String v : new String[] {"-5m", "+5m", "1.5h", " 5m", "5m ", "5M", "30s1m", "1m1m",
        "1h 30m", "5us", "5ns", "1mss", "ms", "m", "1", "1x", "5m-", "1d1w", "1ms1s", "∞"}) {
      assertThat(Durations.isValid(v)).as(v).isFalse();
      assertThatThrownBy(() -> Durations.parseMillis(v)).as(v)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("not a valid duration string: \"" + v + "\"");
    }
    assertThatThrownBy(() -> Durations.parseMillis("")).hasMessage("empty duration string");
    assertThatThrownBy(() -> Durations.parse("")).hasMessage("empty duration string");
  }

  @Test
  void parse_fieldFormNamesTheFieldAndTheForm() {
    assertThatThrownBy(() -> Durations.parse("retention.traces", "7 days"))
        .hasMessage("retention.traces: '7 days' (expected: a duration like 15s, 1m30s or 500ms)");
    assertThatThrownBy(() -> Durations.parse("retention.traces", " "))
        .hasMessage("retention.traces: missing (expected: a duration like 15s)");
    assertThatThrownBy(() -> Durations.parse("retention.traces", null))
        .hasMessage("retention.traces: missing (expected: a duration like 15s)");
  }

  @Test
  void parse_overflow_isAnErrorNamingTheField() {
    for (String v : new String[] {"99999999999y", "99999999999999999999s",
        "9223372036854775808ms", "292471209y", "106751991168d"}) {
      assertThat(Durations.isValid(v)).as(v).isFalse();
      assertThatThrownBy(() -> Durations.parse("alerting.backtestTimeout", v))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("alerting.backtestTimeout: '" + v
              + "' (expected: a duration below 292 million years)");
      assertThatThrownBy(() -> Durations.parseMillis(v))
          .hasMessage("duration out of range: \"" + v + "\"");
    }
    // Malformed after an overflowing part is still malformed, not "out of range".
    assertThatThrownBy(() -> Durations.parseMillis("99999999999y1x"))
        .hasMessageStartingWith("not a valid duration string");
  }

  @Test
  void parse_hugeValueIsCutInTheMessage() {
    String v = "1".repeat(10_000) + "x";
    assertThatThrownBy(() -> Durations.parseMillis(v))
        .hasMessageEndingWith("...\"")
        .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(200));
  }

  @Test
  void format_likePrometheus() {
    assertThat(Durations.format(0)).isEqualTo("0s");
    assertThat(Durations.format(5_400_000)).isEqualTo("1h30m");
    assertThat(Durations.format(500)).isEqualTo("500ms");
    assertThat(Durations.format(-300_000)).isEqualTo("-5m");
    assertThat(Durations.format(14 * 86_400_000L)).isEqualTo("2w");
    assertThat(Durations.format(90 * 86_400_000L)).isEqualTo("90d"); // not 12w6d
    assertThat(Durations.format(366 * 86_400_000L)).isEqualTo("366d"); // not 1y1d
    assertThat(Durations.format(Duration.ofDays(730))).isEqualTo("2y");
    assertThat(Durations.format(Duration.ofMillis(3_723_004))).isEqualTo("1h2m3s4ms");
  }

  @Test
  void formatThenParse_roundTrips() {
    for (long ms : new long[] {1, 999, 1000, 61_000, 86_400_000L, 8 * 86_400_000L + 5,
        365L * 86_400_000, 400L * 86_400_000 + 3_600_001}) {
      assertThat(Durations.parseMillis(Durations.format(ms))).isEqualTo(ms);
    }
  }
}
