package dev.sextant.cluster;

import static dev.sextant.cluster.ClusterFixtures.PARTITIONS;
import static dev.sextant.cluster.ClusterFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sextant.cluster.testing.KafkaBroker;
import dev.sextant.storage.LogRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store keeping its own offsets (the server's store role): it dies after a write of log records
 * is durable and before it saved where to resume; restarted on its directory it replays that
 * poll and stores no log record twice (the records' tenant store holds their partition's offset
 * in the same write batch). A member that never had the partitions rebuilds them from Kafka.
 */
class StoreLocalOffsetsTest {
  private static final String TENANT = "replay";
  private static final String GROUP = "local-offsets";
  private static final AtomicLong IDS = new AtomicLong();

  @TempDir
  Path dir;

  @Test
  void crashAfterDurableLogWrite_restartReplaysWithoutDuplicates_newMemberRebuilds()
      throws Exception {
    KafkaBroker kafka = KafkaBroker.shared();
    String servers = kafka.bootstrapServers();
    Set<String> acked = ConcurrentHashMap.newKeySet();
    try (Admin admin = kafka.admin();
        KafkaSink sink = KafkaSink.builder(servers).tenant(() -> TENANT).build()) {
      ClusterTopics.create(admin, PARTITIONS, (short) 1);
      try (StoreNode a = new StoreNode(servers, GROUP, "local-a", dir.resolve("a"), true)) {
        a.start();
        for (int i = 0; i < 10; i++) {
          send(sink, acked);
        }
        await().atMost(WAIT).until(() -> a.logs(TENANT).size() == acked.size());
        // The next poll carrying this tenant is written durably, then A dies before saving
        // where to resume (and before committing).
        a.crashOnNextWrite(TENANT);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (a.consumer.isAlive() && System.nanoTime() < deadline) {
          send(sink, acked);
        }
        assertThat(a.consumer.isAlive()).as("store A stopped").isFalse();
      }
      for (int i = 0; i < 10; i++) {
        send(sink, acked);
      }
      // A again, on its directory: resumes from its own offsets, replays the last poll.
      try (StoreNode again = new StoreNode(servers, GROUP, "local-a", dir.resolve("a"), true)) {
        again.start();
        await().atMost(WAIT).until(() -> bodies(again).keySet().containsAll(acked));
        ClusterFixtures.awaitNoLag(admin, GROUP);
        Map<String, Integer> stored = bodies(again);
        assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(acked);
        assertThat(stored.values()).as("log records stored twice").containsOnly(1);
        assertThat(again.consumer.replayedRecords()).as("records the replay did not rewrite")
            .isPositive();
        assertThat(again.consumer.failure()).isNull();
      }
      // A member with an empty directory never had these partitions: it reads them from the
      // beginning rather than from the group's committed offsets.
      try (StoreNode fresh = new StoreNode(servers, GROUP, "local-b", dir.resolve("b"), true)) {
        fresh.start();
        await().atMost(WAIT).until(() -> bodies(fresh).keySet().containsAll(acked));
        assertThat(bodies(fresh).values()).containsOnly(1);
      }
    }
  }

  private static Map<String, Integer> bodies(StoreNode node) {
    Map<String, Integer> out = new TreeMap<>();
    for (LogRecord r : node.logs(TENANT)) {
      out.merge(r.body(), 1, Integer::sum);
    }
    return out;
  }

  /** Sends 8 log records without a trace ID (spread over partitions); records them once acked. */
  private static void send(KafkaSink sink, Set<String> acked) throws Exception {
    List<LogRecord> batch = new ArrayList<>();
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int i = 0; i < 8; i++) {
      batch.add(LogRecord.builder().timeUnixNano(now).body("log-" + IDS.incrementAndGet())
          .serviceName("svc").build());
    }
    sink.logConsumer().accept(batch).get(30, TimeUnit.SECONDS);
    batch.forEach(r -> acked.add(r.body()));
  }
}
