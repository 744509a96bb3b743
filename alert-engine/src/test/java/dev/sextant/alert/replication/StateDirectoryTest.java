package dev.sextant.alert.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.alert.AlertEngine;
import dev.sextant.alert.NotifierConfig;
import dev.sextant.alert.notify.Silence;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replication seam: what a listener hears rebuilds an equal engine elsewhere. */
class StateDirectoryTest {
  private static final NotifierConfig NOTIFIER = NotifierConfig.parse("""
      route: {receiver: hook}
      receivers: [{name: hook, webhook_configs: [{url: 'http://127.0.0.1:1/hook'}]}]
      """, "http://sextant:8686");

  private static String id(String table, byte[] key) {
    return table + "/" + new String(key, StandardCharsets.ISO_8859_1);
  }

  @Test
  void reset_rebuildsWhatTheListenerHeard_deletesIncluded(@TempDir Path dir) {
    Map<String, Object[]> heard = new LinkedHashMap<>();
    Instant now = Instant.now();
    try (AlertEngine e = AlertEngine.builder((expr, t) -> List.of(), dir.resolve("a"), NOTIFIER)
        .stateListener((table, key, value) -> {
          if (value == null) {
            heard.remove(id(table, key));
          } else {
            heard.put(id(table, key), new Object[] {table, key.clone(), value.clone()});
          }
        }).build()) {
      e.silences().add(new Silence("keep", List.of("job=\"shop\""), now, now.plusSeconds(3600),
          "oncall", "kept"));
      e.silences().add(new Silence("old", List.of("job=\"old\""), now.minusSeconds(864_000),
          now.minusSeconds(800_000), "oncall", "expired long ago"));
      assertThat(e.silences().list()).extracting(Silence::id).containsExactly("keep");
    }
    assertThat(heard).containsOnlyKeys("silences/keep");

    Path copy = dir.resolve("b");
    StateDirectory.reset(copy, sink -> heard.values()
        .forEach(v -> sink.changed((String) v[0], (byte[]) v[1], (byte[]) v[2])));
    try (AlertEngine e = AlertEngine.builder((expr, t) -> List.of(), copy, NOTIFIER).build()) {
      assertThat(e.silences().list()).extracting(Silence::id).containsExactly("keep");
    }
  }

  @Test
  void reset_replacesWhatWasThere_andRefusesUnknownTables(@TempDir Path dir) throws Exception {
    Path d = dir.resolve("alerts");
    Files.createDirectories(d);
    Files.writeString(d.resolve("stale"), "x");
    StateDirectory.reset(d, sink -> { });
    assertThat(d.resolve("stale")).doesNotExist();
    assertThatThrownBy(() -> StateDirectory.reset(d, sink -> sink.changed("bogus", new byte[1],
        new byte[1])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("table: bogus (expected one of [alert_state, silences, nflog, outbox, audit,"
            + " meta])");
  }
}
