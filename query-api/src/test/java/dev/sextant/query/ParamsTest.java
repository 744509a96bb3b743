package dev.sextant.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.common.QueryParams;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParamsTest {
  @ParameterizedTest
  @CsvSource({
      "2024-05-01T10:00:00Z, 1714557600000000000",
      "2024-05-01T12:00:00.5+02:00, 1714557600500000000",
      "1714557600, 1714557600000000000",
      "1714557600.25, 1714557600250000000",
      "1714557600000, 1714557600000000000",
      "1714557600000000, 1714557600000000000",
      "1714557600000000123, 1714557600000000123",
      "0, 0"})
  void time_acceptsRfc3339AndUnixUnitsByMagnitude(String in, long nanos) {
    assertThat(Params.time("start", in)).isEqualTo(nanos);
  }

  @ParameterizedTest
  @CsvSource({"abc", "-5", "2024-13-01T00:00:00Z", "''"})
  void time_rejectsNamingTheParameter(String in) {
    assertThatThrownBy(() -> Params.time("start", in))
        .isInstanceOf(BadParameterException.class)
        .hasMessage("start: '" + in + "' (expected: RFC3339 or unix seconds/ms/ns)");
  }

  @ParameterizedTest
  @CsvSource({"100ms, 100000000", "1.5s, 1500000000", "1m30s, 90000000000", "250us, 250000",
      "250µs, 250000", "7ns, 7", "2h, 7200000000000", "0s, 0"})
  void duration_parsesGoDurations(String in, long nanos) {
    assertThat(Params.duration("minDuration", in)).isEqualTo(nanos);
  }

  @ParameterizedTest
  @CsvSource({"100", "ms", "1.5", "10x", "1s2", "-1s", "''"})
  void duration_rejectsWithoutUnit(String in) {
    assertThatThrownBy(() -> Params.duration("minDuration", in))
        .hasMessage("minDuration: '" + in
            + "' (expected: a duration like 100ms, 1.5s, 2m or 1h30m)");
  }

  @Test
  void limit_defaultsAndBounds() {
    assertThat(Params.limit(null, 20)).isEqualTo(20);
    assertThat(Params.limit("1000", 20)).isEqualTo(1000);
    assertThatThrownBy(() -> Params.limit("1001", 20))
        .hasMessage("limit: '1001' (expected: an integer 1-1000)");
    assertThatThrownBy(() -> Params.limit("0", 20))
        .hasMessage("limit: '0' (expected: an integer 1-1000)");
    assertThatThrownBy(() -> Params.limit("ten", 20))
        .hasMessage("limit: 'ten' (expected: an integer 1-1000)");
  }

  @ParameterizedTest
  @CsvSource({"warn, 13", "WARNING, 13", "error, 17", "ERROR2, 18", "info, 9", "fatal4, 24",
      "3, 3", "24, 24", "trace, 1", "debug, 5"})
  void severity_acceptsNamesAndNumbers(String in, int number) {
    assertThat(Params.severity(in)).isEqualTo(number);
  }

  @ParameterizedTest
  @CsvSource({"loud", "25", "0", "error5"})
  void severity_rejectsUnknown(String in) {
    assertThatThrownBy(() -> Params.severity(in)).isInstanceOf(BadParameterException.class)
        .hasMessageStartingWith("severity: '" + in + "' (expected: ");
  }

  @Test
  void window_defaultsToLookbackBeforeNow() {
    long now = 1_000_000_000_000_000_000L;
    Params.Window w = Params.window(null, null, Duration.ofHours(1), now);
    assertThat(w.toUnixNano()).isEqualTo(now);
    assertThat(w.fromUnixNano()).isEqualTo(now - Duration.ofHours(1).toNanos());
  }

  @Test
  void window_rejectsReversedAndTooWide() {
    assertThatThrownBy(() -> Params.window("2000", "1000", Duration.ofHours(1), 0))
        .hasMessageStartingWith("start: '2000' (expected: not after end");
    assertThatThrownBy(() -> Params.window("2024-01-01T00:00:00Z", "2024-03-01T00:00:00Z",
        Duration.ofHours(1), 0))
        .hasMessage("end: '2024-03-01T00:00:00Z' (expected: at most 31 days after start)");
  }

  @Test
  void ids_mustBeHex() {
    assertThat(Params.traceId("traceId", "0123456789ABCDEF0123456789abcdef"))
        .isEqualTo("0123456789abcdef0123456789abcdef");
    assertThatThrownBy(() -> Params.spanId("spanId", "xyz"))
        .hasMessage("spanId: 'xyz' (expected: 16 hex characters, not all zero)");
  }

  @Test
  void ids_allZeroIsInvalid() {
    assertThatThrownBy(() -> Params.traceId("traceId", "0".repeat(32)))
        .hasMessage("traceId: '" + "0".repeat(32)
            + "' (expected: 32 hex characters, not all zero)");
    assertThatThrownBy(() -> Params.spanId("spanId", "0".repeat(16)))
        .hasMessage("spanId: '" + "0".repeat(16) + "' (expected: 16 hex characters, not all zero)");
    assertThat(Params.spanId("spanId", "0".repeat(15) + "1")).isEqualTo("0".repeat(15) + "1");
  }

  @Test
  void attributes_fromRepeatedAndPrefixed() {
    QueryParams q = QueryParams.fromQueryString(
        "tags=http.status_code%3D500&tags=a%3Db%3Dc&attr.region=eu&service=x");
    assertThat(Params.attributes(q, "tags"))
        .containsExactly(Map.entry("http.status_code", "500"),
            Map.entry("a", "b=c"), Map.entry("region", "eu"));
    assertThatThrownBy(() -> Params.attributes(QueryParams.of("tags", "novalue"), "tags"))
        .hasMessage("tags: 'novalue' (expected: key=value)");
  }

  @Test
  void bool_acceptsTrueFalse() {
    assertThat(Params.bool("error", "true")).isTrue();
    assertThat(Params.bool("error", null)).isFalse();
    assertThatThrownBy(() -> Params.bool("error", "maybe"))
        .hasMessage("error: 'maybe' (expected: true or false)");
  }
}
