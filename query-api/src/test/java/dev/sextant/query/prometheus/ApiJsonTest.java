package dev.sextant.query.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class ApiJsonTest {
  @Test
  void formatValue_matchesGoFormatFloat() {
    assertThat(ApiJson.formatValue(1.5)).isEqualTo("1.5");
    assertThat(ApiJson.formatValue(1)).isEqualTo("1");
    assertThat(ApiJson.formatValue(1e21)).isEqualTo("1000000000000000000000");
    assertThat(ApiJson.formatValue(1.2e-7)).isEqualTo("0.00000012");
    assertThat(ApiJson.formatValue(0.1 + 0.2)).isEqualTo("0.30000000000000004");
    assertThat(ApiJson.formatValue(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    assertThat(ApiJson.formatValue(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
    assertThat(ApiJson.formatValue(Double.NaN)).isEqualTo("NaN");
    assertThat(ApiJson.formatValue(-0.0)).isEqualTo("-0");
  }

  @Test
  void formatValue_integersAsTheGeneralPathWritesThem() {
    // Integers below 1e15 take a shortcut; it must print what the general path prints.
    double[] values = {2, -2, 10, 1e7, 12_345_678, 1e14, 999_999_999_999_999d,
        -999_999_999_999_999d, 1e15, 1e15 + 2, 9_007_199_254_740_993d, 4.5e15, 1e16};
    for (double v : values) {
      assertThat(ApiJson.formatValue(v)).as("%s", v).isEqualTo(
          new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString());
    }
    assertThat(ApiJson.formatValue(999_999_999_999_999d)).isEqualTo("999999999999999");
    assertThat(ApiJson.formatValue(-12_345_678)).isEqualTo("-12345678");
    assertThat(ApiJson.formatValue(1e15)).isEqualTo("1000000000000000");
  }

  @Test
  void formatTime_secondsWithFixedMillis() {
    assertThat(ApiJson.formatTime(1_435_781_451_781L)).isEqualTo("1435781451.781");
    assertThat(ApiJson.formatTime(1500)).isEqualTo("1.500");
    assertThat(ApiJson.formatTime(1005)).isEqualTo("1.005");
    assertThat(ApiJson.formatTime(60_000)).isEqualTo("60");
    assertThat(ApiJson.formatTime(-1500)).isEqualTo("-1.500");
  }

  @Test
  void params_timesAndDurations() {
    assertThat(ApiParams.time("time", "1435781451.781")).isEqualTo(1_435_781_451_781L);
    assertThat(ApiParams.time("time", "2015-07-01T20:10:51.781Z")).isEqualTo(1_435_781_451_781L);
    assertThat(ApiParams.duration("step", "15")).isEqualTo(15_000);
    assertThat(ApiParams.duration("step", "1m30s")).isEqualTo(90_000);
    assertThatThrownBy(() -> ApiParams.duration("step", "soon"))
        .hasMessage("invalid parameter \"step\": cannot parse \"soon\" to a valid duration");
  }
}
