package dev.sextant.alert.internal.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoFormatTest {
  @ParameterizedTest
  @CsvSource({
      "0, 0", "1, 1", "-1.5, -1.5", "100, 100", "123456, 123456", "1234567, 1.234567e+06",
      "0.0001, 0.0001", "0.00001, 1e-05", "1e21, 1e+21", "0.1, 0.1", "3.14159, 3.14159",
  })
  void formatG_shortestLikeGo(double v, String expected) {
    assertThat(GoFormat.formatG(v, -1)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
      "1234.5, 1234", "12345, 1.234e+04", "1.5, 1.5", "100, 100", "0.000123456, 0.0001235",
      "1e-05, 1e-05", "999.99, 1000",
  })
  void formatG_precision4(double v, String expected) {
    assertThat(GoFormat.formatG(v, 4)).isEqualTo(expected);
  }

  @Test
  void sprintf_verbsAndDiagnostics() {
    assertThat(GoFormat.sprintf("%.2f%%", List.of(12.345))).isEqualTo("12.35%");
    assertThat(GoFormat.sprintf("%e", List.of(1234.5678))).isEqualTo("1.234568e+03");
    assertThat(GoFormat.sprintf("%q", List.of("a\"b"))).isEqualTo("\"a\\\"b\"");
    assertThat(GoFormat.sprintf("%d %s", List.of(5L))).isEqualTo("5 %!s(MISSING)");
    assertThat(GoFormat.sprintf("%s", List.of("a", 1.5))).isEqualTo("a%!(EXTRA float64=1.5)");
    assertThat(GoFormat.sprintf("%-5s|%05d", List.of("ab", 42L))).isEqualTo("ab   |00042");
    assertThat(GoFormat.sprintf("%v %v", List.of(Double.POSITIVE_INFINITY, Double.NaN)))
        .isEqualTo("+Inf NaN");
    assertThat(GoFormat.print(Map.of("a", "b"))).isEqualTo("map[a:b]");
  }
}
