package dev.sextant.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StoreSampleTest {
  private static final String METRICS = """
      # HELP sextant_cluster_consumer_lag_records Records between this store's position and ...
      # TYPE sextant_cluster_consumer_lag_records gauge
      sextant_cluster_consumer_lag_records{partition="0",topic="sextant.spans"} 0.0
      sextant_cluster_consumer_lag_records{partition="3",topic="sextant.spans"} 1.2345E7
      sextant_cluster_consumer_lag_records{topic="sextant.logs",partition="0"} 2.0 1733490000000
      # TYPE sextant_cluster_partitions_owned gauge
      sextant_cluster_partitions_owned{topic="sextant.logs"} 1.0
      sextant_cluster_partitions_owned{topic="sextant.spans"} 2.0
      # TYPE sextant_cluster_records_applied_total counter
      sextant_cluster_records_applied_total 4096.0
      sextant_cluster_records_applied_created 1.7E9
      jvm_memory_used_bytes{area="heap",topic_like="x"} 5.0
      """;

  @Test
  void parse_readsTheClusterMetricsInAnyLabelOrder() {
    StoreSample s = StoreSample.parse(METRICS, 7, 1.5);
    assertThat(s.applied()).isEqualTo(4096);
    assertThat(s.owned()).containsEntry("sextant.spans", 2).containsEntry("sextant.logs", 1);
    assertThat(s.ownedPartitions()).isEqualTo(3);
    assertThat(s.lag()).containsEntry("sextant.spans/0", 0L)
        .containsEntry("sextant.spans/3", 12_345_000L).containsEntry("sextant.logs/0", 2L);
    assertThat(s.totalLag()).isEqualTo(12_345_002L);
    assertThat(s.partitions("sextant.spans")).containsExactly(0, 3);
    assertThat(s.caughtUp()).isFalse();
  }

  @Test
  void caughtUp_onlyWhenEverySpansPartitionOwnedReportsLagZero() {
    String zero = """
        sextant_cluster_partitions_owned{topic="sextant.spans"} 2.0
        sextant_cluster_partitions_owned{topic="sextant.logs"} 2.0
        sextant_cluster_consumer_lag_records{partition="0",topic="sextant.spans"} 0.0
        """;
    assertThat(StoreSample.parse(zero, 0, 0).caughtUp()).isFalse(); // partition 1 not polled
    String both = zero
        + "sextant_cluster_consumer_lag_records{partition=\"1\",topic=\"sextant.spans\"} 0.0\n";
    assertThat(StoreSample.parse(both, 0, 0).caughtUp()).isTrue(); // empty logs: not waited for
    assertThat(StoreSample.parse(both
        + "sextant_cluster_consumer_lag_records{partition=\"1\",topic=\"sextant.logs\"} 3.0\n",
        0, 0).caughtUp()).isFalse();
    assertThat(StoreSample.parse("", 0, 0).caughtUp()).isFalse(); // owns nothing yet
  }

  @Test
  void label_matchesWholeNamesOnly() {
    assertThat(StoreSample.label("subtopic=\"a\",topic=\"b\"", "topic")).isEqualTo("b");
  }

  @Test
  void condensed_keepsFirstAndLastEvenlySpaced() {
    List<String> lines = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    assertThat(ClusterReport.condensed(lines, 4)).containsExactly("0", "3", "6", "9");
    assertThat(ClusterReport.condensed(lines, 12)).isEqualTo(lines);
  }
}
