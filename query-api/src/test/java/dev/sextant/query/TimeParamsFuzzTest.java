package dev.sextant.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sextant.query.BadParameterException;
import dev.sextant.query.Params;
import java.nio.charset.StandardCharsets;

/**
 * Any text given as a time or duration parameter, to the Prometheus rules ({@link TimeParams})
 * and to the native API's ({@link Params}), either parses to a value in range or fails with the
 * documented {@link IllegalArgumentException}: no other exception. Slow inputs (a BigDecimal
 * crunching a huge exponent) are findings of the fuzzer's per-input timeout; the replayed seeds
 * include them.
 *
 * <p>{@code mvn verify} replays the seeds in {@code TimeParamsFuzzTestInputs/}; to fuzz:
 * {@code JAZZER_FUZZ=1 mvn -pl query-api test -Dtest=TimeParamsFuzzTest
 * -Djazzer.max_duration=10m}.
 */
class TimeParamsFuzzTest {
  @FuzzTest(maxDuration = "5m")
  @DictionaryEntries({"e", "E", "e-", "e+", ".", "-", "+", "NaN", "Inf", "Infinity", "1e309",
      "1e-500000000", "T", "Z", "2026-11-27T20:00:00Z", "+01:00", ".123456789", "ms", "s", "m",
      "h", "d", "w", "y", "us", "µs", "ns", "9223372036854775807"})
  void parse_anyText_valueOrIllegalArgument(byte[] data) {
    String v = new String(data, StandardCharsets.UTF_8);
    try {
      long ms = TimeParams.timeMillis(v);
      assertThat(ms).isBetween(TimeParams.MIN_TIME_MS, TimeParams.MAX_TIME_MS);
    } catch (IllegalArgumentException expected) {
      assertThat(expected).hasMessageEndingWith("to a valid timestamp");
    }
    try {
      long ms = TimeParams.durationMillis(v);
      if (!v.startsWith("-")) {
        assertThat(ms).isNotNegative();
      }
    } catch (IllegalArgumentException expected) {
      assertThat(expected.getMessage()).startsWith("cannot parse \"");
    }
    try {
      assertThat(Params.time("start", v)).isNotNegative();
    } catch (BadParameterException expected) {
      assertThat(expected).hasMessageStartingWith("start: '");
    }
    try {
      assertThat(Params.duration("minDuration", v)).isNotNegative();
    } catch (BadParameterException expected) {
      assertThat(expected).hasMessageStartingWith("minDuration: '");
    }
  }
}
