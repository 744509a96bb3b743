package dev.sextant.cluster;

import static dev.sextant.cluster.ClusterFixtures.PARTITIONS;
import static dev.sextant.cluster.ClusterFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sextant.cluster.internal.RecordFormat;
import dev.sextant.cluster.testing.KafkaBroker;
import dev.sextant.storage.metrics.MetricMetadata;
import dev.sextant.storage.metrics.MetricMetadata.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metric metadata (type, help, unit) travels from a collector's sink through Kafka to the store
 * that consumes it, as metadata records of {@code sextant.metrics}; the same metadata again is not
 * produced again until it changes.
 */
class MetadataThroughKafkaTest {
  @TempDir
  Path dir;

  @Test
  void writeMetadata_reachesTheStore_repeatsAreNotProducedAgain() throws Exception {
    KafkaBroker kafka = KafkaBroker.shared();
    String servers = kafka.bootstrapServers();
    try (Admin admin = kafka.admin()) {
      ClusterTopics.create(admin, PARTITIONS, (short) 1);
    }
    String tenant = "meta-" + UUID.randomUUID();
    List<TopicPartition> partitions = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      partitions.add(new TopicPartition(ClusterTopics.METRICS, p));
    }
    try (KafkaConsumer<byte[], byte[]> reader = reader(servers);
        KafkaSink sink = KafkaSink.builder(servers).tenant(() -> tenant).build();
        StoreNode store = new StoreNode(servers, tenant, "m", dir)) {
      reader.assign(partitions);
      reader.seekToEnd(partitions);
      partitions.forEach(reader::position); // resolves the end now, before anything is sent
      store.start();

      MetricMetadata requests =
          new MetricMetadata("http_requests_total", Type.COUNTER, "Requests.", "");
      MetricMetadata latency =
          new MetricMetadata("http_latency_seconds", Type.HISTOGRAM, "Latency.", "seconds");
      sink.metricWriter().writeMetadata(List.of(requests, latency));
      await().atMost(WAIT).untilAsserted(() -> assertThat(metadata(store, tenant))
          .containsEntry("http_requests_total", List.of(requests))
          .containsEntry("http_latency_seconds", List.of(latency)));

      // The same again (every scrape repeats it): nothing produced. A new help text: produced.
      sink.metricWriter().writeMetadata(List.of(requests, latency));
      MetricMetadata renamed =
          new MetricMetadata("http_requests_total", Type.COUNTER, "Requests served.", "");
      sink.metricWriter().writeMetadata(List.of(renamed, latency));
      await().atMost(WAIT).untilAsserted(() -> assertThat(metadata(store, tenant)
          .get("http_requests_total")).contains(renamed));

      // Everything the sink produced is in the topic by now (the store read the last of it):
      // read up to the current end.
      Map<TopicPartition, Long> end = reader.endOffsets(partitions);
      List<Integer> itemsPerRecord = new ArrayList<>();
      while (partitions.stream().anyMatch(tp -> reader.position(tp) < end.get(tp))) {
        for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
          if (tenant.equals(RecordFormat.tenant(r.headers()))) {
            assertThat(RecordFormat.items(r.headers())).isEqualTo(RecordFormat.METADATA_ITEMS);
            itemsPerRecord.add(RecordFormat.items(r.value()).size());
          }
        }
      }
      // First call: one record per partition touched (the two names may share one); then one
      // record for the changed entry alone.
      assertThat(itemsPerRecord.stream().mapToInt(Integer::intValue).sum()).isEqualTo(3);
      assertThat(store.consumer.skippedRecords()).isZero();
    }
  }

  private static Map<String, List<MetricMetadata>> metadata(StoreNode store, String tenant) {
    return store.tenant(tenant).metricReader().metadata(null, 100, 10);
  }

  private static KafkaConsumer<byte[], byte[]> reader(String servers) {
    return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
  }
}
