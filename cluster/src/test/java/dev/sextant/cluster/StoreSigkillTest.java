package dev.sextant.cluster;

import static dev.sextant.cluster.ClusterFixtures.PARTITIONS;
import static dev.sextant.cluster.ClusterFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sextant.cluster.testing.KafkaBroker;
import dev.sextant.storage.embedded.EmbeddedStorage;
import dev.sextant.storage.Span;
import dev.sextant.storage.Storage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store role in its own JVM is SIGKILLed while spans keep coming: its partitions move to the
 * in-process member, and the killed store's RocksDB, reopened after the kill, together with the
 * survivor's, holds every acknowledged span; merged by identity, each once.
 */
class StoreSigkillTest {
  private static final String TENANT = "sigkill";
  private static final String GROUP = "sigkill";
  private static final AtomicLong IDS = new AtomicLong(1L << 40);

  @TempDir
  Path dir;

  @Test
  void sigkill_storeProcessWhileIngesting_everyAcknowledgedSpanSurvivesOnce() throws Exception {
    KafkaBroker kafka = KafkaBroker.shared();
    String servers = kafka.bootstrapServers();
    Path deadDir = dir.resolve("killed");
    Process child = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Xmx256m", "-XX:TieredStopAtLevel=1",
        StoreMain.class.getName(), servers, GROUP, "sigkill-child", deadDir.toString())
        .redirectErrorStream(true).start();
    AtomicInteger childAssigned = new AtomicInteger(-1);
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          if (line.startsWith("assigned ")) {
            childAssigned.set(Integer.parseInt(line.substring("assigned ".length())));
          }
        }
      } catch (Exception e) {
        // the child died
      }
    }, "store-child-output");
    reader.start();
    int all = PARTITIONS * ClusterTopics.ALL.size();
    try (Admin admin = kafka.admin();
        KafkaSink sink = KafkaSink.builder(servers).tenant(() -> TENANT).build();
        StoreNode survivor = new StoreNode(servers, GROUP, "sigkill-survivor",
            dir.resolve("survivor"))) {
      ClusterTopics.create(admin, PARTITIONS, (short) 1);
      await().atMost(WAIT).until(() -> childAssigned.get() > 0);
      survivor.start();
      await().atMost(WAIT).until(() -> childAssigned.get() > 0 && childAssigned.get() < all
          && !survivor.assignment().isEmpty());

      Map<String, String> acked = new ConcurrentHashMap<>();
      for (int i = 0; i < 15; i++) {
        send(sink, acked);
      }
      child.toHandle().destroyForcibly(); // SIGKILL
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < 15; i++) {
        send(sink, acked);
      }
      await().atMost(WAIT).until(() -> survivor.assignment().size() == all);
      ClusterFixtures.awaitNoLag(admin, GROUP);

      Map<String, Span> merged = new ConcurrentHashMap<>();
      Set<String> traces = new HashSet<>(acked.values());
      try (Storage killed = EmbeddedStorage.open(deadDir.resolve(TENANT))) {
        for (String trace : traces) {
          for (Span s : killed.traceReader().getTrace(trace)) {
            merged.put(s.spanId(), s);
          }
          for (Span s : survivor.trace(TENANT, trace)) {
            merged.put(s.spanId(), s);
          }
        }
      }
      assertThat(merged.keySet()).containsExactlyInAnyOrderElementsOf(acked.keySet());
    } finally {
      child.toHandle().destroyForcibly();
      reader.join(10_000);
    }
  }

  private static void send(KafkaSink sink, Map<String, String> acked) throws Exception {
    List<Span> batch = new ArrayList<>();
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int t = 0; t < 4; t++) {
      String trace = String.format("%032x", IDS.getAndIncrement() * 0x9E3779B97F4A7C15L >>> 1);
      for (int s = 0; s < 2; s++) {
        batch.add(Span.builder().traceId(trace).spanId(String.format("%016x",
                IDS.getAndIncrement())).name("op").serviceName("svc").startTimeUnixNano(now)
            .endTimeUnixNano(now + 1_000).build());
      }
    }
    sink.spanConsumer().accept(batch).get(30, TimeUnit.SECONDS);
    batch.forEach(s -> acked.put(s.spanId(), s.traceId()));
  }
}
