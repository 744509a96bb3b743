package dev.sextant.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.storage.embedded.EmbeddedStorage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Positions written with log records: durable with them, kept across a reopen, checked. */
class SourcePositionsTest {
  @TempDir
  Path dir;

  @Test
  void acceptLogs_positionsDurableWithRecordsAndAcrossReopen() throws Exception {
    long now = System.currentTimeMillis() * 1_000_000L;
    try (Storage s = EmbeddedStorage.open(dir)) {
      SourcePositions p = s.sourcePositions();
      assertThat(p.position("kafka/t/0")).isEqualTo(-1);
      p.acceptLogs(List.of(LogRecord.builder().timeUnixNano(now).body("one").build()),
          Map.of("kafka/t/0", 1L, "kafka/t/1", 7L)).get(10, TimeUnit.SECONDS);
      // Positions alone, no records: a checkpoint.
      p.acceptLogs(List.of(), Map.of("kafka/t/1", 9L)).get(10, TimeUnit.SECONDS);
      assertThat(p.position("kafka/t/0")).isEqualTo(1);
      assertThat(p.position("kafka/t/1")).isEqualTo(9);
      assertThat(s.logReader().search(LogQuery.builder().build()).records())
          .extracting(LogRecord::body).containsExactly("one");
    }
    try (Storage s = EmbeddedStorage.open(dir)) {
      assertThat(s.sourcePositions().position("kafka/t/0")).isEqualTo(1);
      assertThat(s.sourcePositions().position("kafka/t/1")).isEqualTo(9);
      assertThat(s.logReader().search(LogQuery.builder().build()).records()).hasSize(1);
    }
  }

  @Test
  void acceptLogs_badKeyOrPosition_refusedAndNothingWritten() {
    try (Storage s = EmbeddedStorage.open(dir)) {
      SourcePositions p = s.sourcePositions();
      List<LogRecord> one = List.of(LogRecord.builder().timeUnixNano(1).body("x").build());
      assertThatThrownBy(() -> p.acceptLogs(one, Map.of("k", -1L)).get())
          .isInstanceOf(ExecutionException.class).cause()
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected: >= 0");
      assertThatThrownBy(() -> p.acceptLogs(one, Map.of(" ", 1L)).get())
          .cause().isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("position key");
      assertThat(p.position("k")).isEqualTo(-1);
      assertThat(s.logReader().search(LogQuery.builder().build()).records()).isEmpty();
    }
  }
}
