package dev.sextant.cluster;

import static dev.sextant.cluster.ClusterFixtures.PARTITIONS;
import static dev.sextant.cluster.ClusterFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sextant.cluster.testing.KafkaBroker;
import dev.sextant.storage.Span;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store dies after making a write durable and before committing its offsets, while spans keep
 * coming: its partitions move to the other member of the group, which replays them from the last
 * commit. Nothing acknowledged is lost and, merged by span identity as a query does, every span
 * is returned once. {@code -Dsextant.cluster.soak=true} sends ten times as much.
 */
class StoreCrashTest {
  private static final String TENANT = "crash";
  private static final String GROUP = "crash";
  private static final int BATCHES = Boolean.getBoolean("sextant.cluster.soak") ? 200 : 20;
  private static final AtomicLong IDS = new AtomicLong(1);

  @TempDir
  Path dir;

  @Test
  void storeCrash_betweenWriteAndCommit_partitionsMoveAndReplayFromLastCommit()
      throws Exception {
    KafkaBroker kafka = KafkaBroker.shared();
    String servers = kafka.bootstrapServers();
    try (Admin admin = kafka.admin();
        KafkaSink sink = KafkaSink.builder(servers).tenant(() -> TENANT).build();
        StoreNode a = new StoreNode(servers, GROUP, "crash-a", dir.resolve("a"));
        StoreNode b = new StoreNode(servers, GROUP, "crash-b", dir.resolve("b"))) {
      ClusterTopics.create(admin, PARTITIONS, (short) 1);
      a.start();
      b.start();
      ClusterFixtures.awaitSplit(a, b);
      Set<TopicPartition> aSpans = new HashSet<>(a.assignment());
      aSpans.removeIf(tp -> !tp.topic().equals(ClusterTopics.SPANS));

      Map<String, String> acked = new ConcurrentHashMap<>(); // span ID -> trace ID
      for (int i = 0; i < BATCHES; i++) {
        send(sink, acked);
      }
      // The next poll of A that carries this tenant is written, then A dies uncommitted.
      a.crashOnNextWrite(TENANT);
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (a.consumer.isAlive() && System.nanoTime() < deadline) {
        send(sink, acked);
      }
      assertThat(a.consumer.isAlive()).as("store A stopped").isFalse();
      Map<TopicPartition, Long> aCommitted = a.consumer.committed();
      for (int i = 0; i < BATCHES; i++) {
        send(sink, acked);
      }

      // A's partitions moved to B (after B's session noticed A's silence), B caught up.
      await().atMost(WAIT).untilAsserted(() ->
          assertThat(b.assignment()).hasSize(PARTITIONS * ClusterTopics.ALL.size()));
      ClusterFixtures.awaitNoLag(admin, GROUP);

      // Nothing acknowledged is lost, and merged by identity every span is there once.
      Map<String, Span> merged = new ConcurrentHashMap<>();
      Set<String> inBoth = new HashSet<>();
      Set<String> traces = new HashSet<>(acked.values());
      for (String trace : traces) {
        Set<String> inA = new HashSet<>();
        for (Span s : a.trace(TENANT, trace)) {
          merged.put(s.spanId(), s);
          inA.add(s.spanId());
        }
        for (Span s : b.trace(TENANT, trace)) {
          merged.put(s.spanId(), s);
          if (inA.contains(s.spanId())) {
            inBoth.add(s.spanId());
          }
        }
      }
      assertThat(merged.keySet()).containsExactlyInAnyOrderElementsOf(acked.keySet());

      // A committed only what it had made durable; B replayed A's partitions from that commit.
      for (TopicPartition tp : aSpans) {
        long committed = aCommitted.getOrDefault(tp, 0L);
        for (Span s : ClusterFixtures.spansIn(servers, tp, 0, committed, TENANT)) {
          assertThat(a.trace(TENANT, s.traceId())).extracting(Span::spanId)
              .as("committed by A, durable in A").contains(s.spanId());
        }
        long end = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get(30, TimeUnit.SECONDS).get(tp).offset();
        for (Span s : ClusterFixtures.spansIn(servers, tp, committed, end, TENANT)) {
          assertThat(b.trace(TENANT, s.traceId())).extracting(Span::spanId)
              .as("after A's last commit, replayed by B").contains(s.spanId());
        }
      }
      // A's last write, durable but never committed, was replayed by B: in both stores.
      assertThat(inBoth).isNotEmpty();
      assertThat(b.consumer.failure()).isNull();
    }
  }

  /** Sends 4 traces of 3 spans through the sink; records them once acknowledged. */
  private static void send(KafkaSink sink, Map<String, String> acked) throws Exception {
    List<Span> batch = new ArrayList<>();
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int t = 0; t < 4; t++) {
      String trace = String.format("%032x", IDS.getAndIncrement() * 0x9E3779B97F4A7C15L >>> 1);
      String root = String.format("%016x", IDS.getAndIncrement());
      for (int s = 0; s < 3; s++) {
        String id = s == 0 ? root : String.format("%016x", IDS.getAndIncrement());
        batch.add(Span.builder().traceId(trace).spanId(id).parentSpanId(s == 0 ? "" : root)
            .name("op" + s).serviceName("svc").startTimeUnixNano(now)
            .endTimeUnixNano(now + 1_000_000).build());
      }
    }
    sink.spanConsumer().accept(batch).get(30, TimeUnit.SECONDS);
    for (Span s : batch) {
      acked.put(s.spanId(), s.traceId());
    }
  }
}
