package dev.sextant.storage.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Regex matchers run with no registry lock held, so series creation never waits for them. */
class SeriesRegistrySelectTest {
  private final SeriesRegistry registry = new SeriesRegistry();

  SeriesRegistrySelectTest() {
    for (int i = 0; i < 500; i++) {
      registry.create(Labels.of("__name__", "m", "job", "job-" + i));
    }
  }

  @Test
  void select_regexTestedWithoutLock_writerCreatesSeriesMeanwhile() throws Exception {
    AtomicInteger created = new AtomicInteger();
    // The checkpoint runs in the middle of testing values: create series from another thread
    // right there and wait for it. Were the read lock held, create() would block: a timeout.
    Runnable checkpoint = () -> {
      if (created.get() == 0) {
        CompletableFuture.runAsync(() -> {
          registry.create(Labels.of("__name__", "m", "job", "job-new"));
          registry.create(Labels.of("__name__", "m", "job", "job-7"));
          created.incrementAndGet();
        }).orTimeout(30, TimeUnit.SECONDS).join();
      }
    };
    List<MemSeries> out = registry.select(
        List.of(LabelMatcher.nre("job", "job-1.*")), checkpoint);
    assertThat(created.get()).isEqualTo(1);
    // Series created after the values were taken are left out: job-new was never tested.
    assertThat(out).extracting(s -> s.labels.get("job"))
        .hasSize(500 - 111).doesNotContain("job-new").contains("job-7")
        .allMatch(j -> !j.startsWith("job-1"));
    assertThat(registry.select(List.of(LabelMatcher.nre("job", "job-1.*")))).hasSize(500 - 111 + 2);
  }

  @Test
  void select_checkpointThrows_abandonsSelectAndReleasesNothingHeld() {
    RuntimeException stop = new IllegalStateException("deadline");
    assertThatThrownBy(() -> registry.select(List.of(LabelMatcher.re("job", ".*-4.*")), () -> {
      throw stop;
    })).isSameAs(stop);
    // Nothing left locked: the writer still creates series.
    CompletableFuture.runAsync(() -> registry.create(Labels.of("__name__", "m", "job", "x")))
        .orTimeout(30, TimeUnit.SECONDS).join();
    assertThat(registry.size()).isEqualTo(501);
  }

  @Test
  void selectWithName_regex() {
    registry.create(Labels.of("__name__", "n", "other", "o"));
    assertThat(registry.selectWithName("job", List.of(LabelMatcher.re("__name__", "m|n"))))
        .hasSize(500);
    assertThat(registry.selectWithName("other", List.of(LabelMatcher.re("__name__", ".*"))))
        .hasSize(1);
    assertThat(registry.selectWithName("other", List.of())).hasSize(1);
  }
}
