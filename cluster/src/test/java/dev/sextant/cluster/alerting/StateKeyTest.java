package dev.sextant.cluster.alerting;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StateKeyTest {
  @Test
  void decode_returnsWhatEncodeWrote() {
    byte[] key = {0, 0, 0, 0, 0, 0, 0, 42};
    StateKey k = StateKey.decode(new StateKey("acme-é", "outbox", key).encode());
    assertThat(k.tenant).isEqualTo("acme-é");
    assertThat(k.table).isEqualTo("outbox");
    assertThat(k.key()).containsExactly(key);
  }

  @Test
  void decode_refusesUnknownVersionAndTruncatedKeys() {
    byte[] good = new StateKey("t", "silences", "id".getBytes(UTF_8)).encode();
    byte[] v2 = good.clone();
    v2[0] = 2;
    assertThatThrownBy(() -> StateKey.decode(v2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("state key version: 2 (expected: 1)");
    assertThatThrownBy(() -> StateKey.decode(new byte[] {1, 0, 9, 'a'}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("truncated");
  }
}
