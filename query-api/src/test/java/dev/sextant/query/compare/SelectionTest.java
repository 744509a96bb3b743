package dev.sextant.query.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SelectionTest {
  @Test
  void parse_readsEachFormAndPrintsItBack() {
    assertThat(Selection.parse("error")).isEqualTo(Selection.errors());
    assertThat(Selection.parse("all")).isEqualTo(Selection.all());
    Selection slow = Selection.parse("duration>1m30s");
    assertThat(slow).isEqualTo(Selection.slowerThan(Duration.ofSeconds(90)));
    assertThat(slow.thresholdNanos()).isEqualTo(90_000_000_000L);
    assertThat(slow.toString()).isEqualTo("duration>1m30s");
    assertThat(Selection.parse(" duration>500ms ").toString()).isEqualTo("duration>500ms");
  }

  @Test
  void parse_refusesOtherTextNamingTheParameter() {
    for (String bad : new String[] {"", "errors", "duration>", "duration>5", "duration<5s",
        "duration>-5s", "x".repeat(10_000)}) {
      assertThatThrownBy(() -> Selection.parse(bad)).as(bad.length() > 20 ? "long" : bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("selection: '")
          .hasMessageEndingWith("(expected: " + Selection.FORM + ")");
    }
    assertThatThrownBy(() -> Selection.parse("y".repeat(10_000)).toString())
        .hasMessageContaining("...'");
  }

  @Test
  void noun_namesTheSelectedTraces() {
    assertThat(Selection.errors().noun("payments", "charge")).isEqualTo("failing traces");
    assertThat(Selection.parse("duration>500ms").noun("", ""))
        .isEqualTo("traces slower than 500ms");
    assertThat(Selection.all().noun("payments", "charge"))
        .isEqualTo("traces through payments charge");
    assertThat(Selection.all().noun("payments", "")).isEqualTo("traces through payments");
  }
}
