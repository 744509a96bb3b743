package dev.sextant.samples.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class FaultsTest {
  @Test
  void update_appliesGivenFieldsAndResetClears() {
    Faults f = new Faults();
    f.update(Map.of("errorRate", "1.0"));
    assertThat(f.shouldFail()).isTrue();
    f.update(Map.of("latencyMs", "5"));
    assertThat(f.describe()).containsEntry("errorRate", 1.0).containsEntry("latencyMs", 5L)
        .containsEntry("latencyRate", 1.0);
    f.update(Map.of("down", "true"));
    assertThat(f.down()).isTrue();
    f.update(Map.of("reset", "true"));
    assertThat(f.down()).isFalse();
    assertThat(f.shouldFail()).isFalse();
  }

  @Test
  void update_refusesBadValuesAndAppliesNothing() {
    Faults f = new Faults();
    assertThatThrownBy(() -> f.update(Map.of("errorRate", "2", "down", "true")))
        .hasMessage("errorRate: 2 (expected: 0.0-1.0)");
    assertThat(f.down()).isFalse();
    assertThatThrownBy(() -> f.update(Map.of("latencyMs", "-1")))
        .hasMessage("latencyMs: -1 (expected: 0-60000)");
    assertThatThrownBy(() -> f.update(Map.of("down", "yes")))
        .hasMessage("down: yes (expected: true or false)");
  }
}
