package dev.sextant.storage.conformance;

import static dev.sextant.storage.conformance.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.storage.LogQuery;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.TimeSeries;
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
        .failsWithin(Duration.ofSeconds(30)).withThrowableThat()
        .havingRootCause().isInstanceOf(StorageException.class);
    assertThat(storage().logConsumer().accept(List.of(Fixtures.log("a", "late", 0).build())))
        .failsWithin(Duration.ofSeconds(30)).withThrowableThat()
        .havingRootCause().isInstanceOf(StorageException.class);
    assertThat(storage().metricWriter().write(List.of(TimeSeries.of(
        Labels.of("__name__", "late"), MetricContract.T, 1))))
        .failsWithin(Duration.ofSeconds(30)).withThrowableThat()
        .havingRootCause().isInstanceOf(StorageException.class);
  }

  @Test
  default void read_afterCloseFails() {
    storage().close();

    assertThatThrownBy(() -> storage().logReader().search(LogQuery.builder().build()))
        .isInstanceOf(StorageException.class);
    assertThatThrownBy(() -> storage().traceReader().getTrace(Fixtures.traceId()))
        .isInstanceOf(StorageException.class);
    assertThatThrownBy(() -> storage().spanSearch().search(TraceQuery.builder().build()))
        .isInstanceOf(StorageException.class);
    assertThatThrownBy(() -> storage().metricReader().select(
        List.of(LabelMatcher.eq("__name__", "m")), 0, Long.MAX_VALUE))
        .isInstanceOf(StorageException.class);
  }
}
