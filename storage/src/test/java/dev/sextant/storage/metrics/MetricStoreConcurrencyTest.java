package dev.sextant.storage.metrics;

import dev.sextant.storage.embedded.EmbeddedMetricStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricStoreConcurrencyTest {
  private static final Labels SERIES = Labels.of("__name__", "c", "job", "x");

  @TempDir
  Path dir;

  @Test
  void select_duringWritesAndChunkCutsSeesGaplessPrefix() throws Exception {
    try (MetricStore store = EmbeddedMetricStore.builder(dir).chunkSamples(4).build()) {
      AtomicBoolean done = new AtomicBoolean();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread reader = new Thread(() -> {
        try {
          while (!done.get()) {
            for (Series s : store.select(List.of(LabelMatcher.eq("job", "x")), 0, Long.MAX_VALUE)) {
              SampleIterator it = s.samples();
              long expected = 0;
              while (it.next()) {
                // Samples i = 0, 1, 2, ... at time 1000 + i: no gap, no duplicate.
                assertThat(it.timestamp()).isEqualTo(1000 + expected);
                assertThat(it.value()).isEqualTo(expected);
                expected++;
              }
            }
          }
        } catch (Throwable t) {
          failure.set(t);
        }
      });
      reader.start();
      for (int i = 0; i < 400; i++) {
        store.write(List.of(TimeSeries.of(SERIES, 1000 + i, i))).join();
      }
      done.set(true);
      reader.join();
      assertThat(failure.get()).isNull();
    }
  }

  @Test
  void write_rejectsRequestLargerThanTheQueueBudget() {
    try (MetricStore store = EmbeddedMetricStore.builder(dir).maxPendingBytes(1000).build()) {
      long[] t = new long[100];
      double[] v = new double[100];
      for (int i = 0; i < t.length; i++) {
        t[i] = i;
      }
      assertThatThrownBy(() -> store.write(List.of(new TimeSeries(SERIES, t, v))).get())
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("maxPendingBytes 1000");
    }
  }
}
