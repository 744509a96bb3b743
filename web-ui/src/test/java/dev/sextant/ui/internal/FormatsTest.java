package dev.sextant.ui.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;


import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FormatsTest {
  @ParameterizedTest
  @CsvSource({"812,812ns", "12345,12.3µs", "45678000,45.7ms", "1234000000,1.23s",
      "125000000000,2m 5s", "10920000000000,3h 2m"})
  void duration_isShortAndReadable(long nanos, String text) {
    assertThat(Formats.duration(nanos)).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource({"checkout", "payments", "a-very-long-service-name-with-negative-hash"})
  void color_isAStableHueMatchingTheScript(String service) {
    // waterfall.js: h = (Math.imul(h, 31) + c) | 0, then ((h % 360) + 360) % 360.
    int h = 0;
    for (char c : service.toCharArray()) {
      h = h * 31 + c;
    }
    assertThat(Formats.color(service)).isEqualTo("hsl(" + Math.floorMod(h, 360) + ",62%,58%)");
  }

  @ParameterizedTest
  @CsvSource({"15m", "1h", "all"})
  void lookback_acceptsItsOptions(String value) {
    assertThat(Lookback.fromUnixNano(value)).isGreaterThanOrEqualTo(0);
  }

  @ParameterizedTest
  @CsvSource({"2h", "yesterday"})
  void lookback_rejectsOthers(String value) {
    assertThatThrownBy(() -> Lookback.fromUnixNano(value))
        .hasMessageStartingWith("lookback: " + value + " (expected: one of 15m, 1h");
  }
}
