package dev.sextant.storage.conformance;

import static dev.sextant.storage.conformance.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.storage.LogQuery;
import dev.sextant.storage.StorageException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link dev.sextant.storage.Storage#check} and {@code close}. */
public interface LifecycleContract extends StorageKit {

  @Test
  default void check_passesWhileOpen() {
    assertThatCode(() -> storage().check()).doesNotThrowAnyException();
    assertThat(storage().unindexedRecords()).isZero();
  }

  @Test
  default void close_isIdempotentAndCheckFailsAfterIt() {
    storage().close();
    storage().close();

    assertThatThrownBy(() -> storage().check()).isInstanceOf(StorageException.class);
  }

  @Test
  default void accept_afterCloseFailsThroughTheFuture() {
    storage().close();

    assertThat(storage().spanConsumer().accept(List.of(root("web", "late", 0, 1))))
        .failsWithin(Duration.ofSeconds(30));
    assertThat(storage().logConsumer().accept(List.of(Fixtures.log("a", "late", 0).build())))
        .failsWithin(Duration.ofSeconds(30));
  }

  @Test
  default void read_afterCloseFails() {
    storage().close();

    assertThatThrownBy(() -> storage().logReader().search(LogQuery.builder().build()))
        .isInstanceOf(RuntimeException.class);
    assertThatThrownBy(() -> storage().traceReader().getTrace(Fixtures.traceId()))
        .isInstanceOf(RuntimeException.class);
  }
}
