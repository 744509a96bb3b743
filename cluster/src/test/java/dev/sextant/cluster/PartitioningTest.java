package dev.sextant.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.storage.metrics.Labels;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class PartitioningTest {
  @Test
  void partition_isKafkasDefaultPartitionerForTheKey() {
    for (int i = 0; i < 200; i++) {
      byte[] key = Partitioning.traceKey(String.format("%032x", i * 7919L + 1));
      for (int n : new int[] {1, 3, 6, 64}) {
        assertThat(Partitioning.partition(key, n))
            .isEqualTo(BuiltInPartitioner.partitionForKey(key, n));
      }
    }
  }

  @Test
  void traceKey_ignoresCaseAndKeepsNonHexIds() {
    assertThat(Partitioning.traceKey("0AF7651916CD43DD8448EB211C80319C"))
        .isEqualTo(Partitioning.traceKey("0af7651916cd43dd8448eb211c80319c")).hasSize(16);
    assertThat(Partitioning.traceKey("not-hex")).hasSize(7);
  }

  @Test
  void seriesKey_dependsOnEveryLabelNotOnTheirOrder() {
    assertThat(Partitioning.seriesKey(Labels.of("__name__", "up", "job", "a")))
        .isEqualTo(Partitioning.seriesKey(Labels.of("job", "a", "__name__", "up")))
        .isNotEqualTo(Partitioning.seriesKey(Labels.of("__name__", "up", "job", "b")));
  }

  @Test
  void partition_noPartitions_isRefused() {
    assertThatThrownBy(() -> Partitioning.partition(new byte[1], 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("partitions: 0 (expected: > 0)");
  }
}
