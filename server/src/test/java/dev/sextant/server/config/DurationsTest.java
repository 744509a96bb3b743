package dev.sextant.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void parse_prometheusDurations() {
    assertThat(Durations.parse("x", "1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("x", "500ms")).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void parse_overflow_isAnErrorNamingTheField() {
    for (String v : new String[] {"99999999999y", "99999999999999999999s",
        "9223372036854775807ms1s"}) {
      assertThatThrownBy(() -> Durations.parse("alerting.backtestTimeout", v))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("alerting.backtestTimeout: '" + v
              + "' (expected: a duration below 292 million years)");
    }
  }
}
