package dev.sextant.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.cluster.internal.RecordFormat;
import dev.sextant.cluster.internal.SpanWire;
import dev.sextant.cluster.internal.WireReader;
import dev.sextant.storage.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Helpers of the cluster tests: group assignment, raw reads of a partition, consumer lag. */
final class ClusterFixtures {
  static final int PARTITIONS = 6;
  static final Duration WAIT = Duration.ofSeconds(120);

  private ClusterFixtures() {}

  /** The tenant of the current OTLP request, as the server's tenancy would pick it. */
  static String requestTenant() {
    ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
    String t = ctx == null ? null : ctx.request().headers().get("x-scope-orgid");
    return t == null ? "default" : t;
  }

  /** Waits until the nodes split every partition of every topic between them, each some. */
  static void awaitSplit(StoreNode... nodes) {
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      Set<TopicPartition> all = new HashSet<>();
      int total = 0;
      for (StoreNode n : nodes) {
        assertThat(n.assignment()).as(n.name).isNotEmpty();
        all.addAll(n.assignment());
        total += n.assignment().size();
      }
      assertThat(all).hasSize(PARTITIONS * ClusterTopics.ALL.size());
      assertThat(total).isEqualTo(all.size());
    });
  }

  /** Spans of {@code tenant} in partition {@code tp} at offsets [from, to). */
  static List<Span> spansIn(String servers, TopicPartition tp, long from, long to,
      String tenant) {
    List<Span> spans = new ArrayList<>();
    if (from >= to) {
      return spans;
    }
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
      c.assign(List.of(tp));
      c.seek(tp, from);
      long deadline = System.nanoTime() + WAIT.toNanos();
      long next = from;
      while (next < to && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          next = r.offset() + 1;
          if (r.offset() < to && tenant.equals(RecordFormat.tenant(r.headers()))) {
            for (WireReader item : RecordFormat.items(r.value())) {
              spans.add(SpanWire.decode(item));
            }
          }
        }
      }
      assertThat(next).as("read %s up to %d", tp, to).isGreaterThanOrEqualTo(to);
    }
    return spans;
  }

  /** Waits until {@code group} has committed every partition up to its end (lag 0). */
  static void awaitNoLag(Admin admin, String group) {
    await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (String topic : ClusterTopics.ALL) {
        for (int p = 0; p < PARTITIONS; p++) {
          latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
      }
      var ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
      ends.forEach((tp, end) -> {
        long done = committed.containsKey(tp) ? committed.get(tp).offset() : 0;
        assertThat(done).as("committed offset of %s", tp).isEqualTo(end.offset());
      });
    });
  }
}
