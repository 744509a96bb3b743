package dev.sextant.storage.internal.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.LogPage;
import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogRecord;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogStoreCrashTest {
  @TempDir
  Path dir;

  @Test
  void killedWriter_everyAcknowledgedRecordIsSearchableAfterReopen() throws Exception {
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"), LogCrashMain.class.getName(),
        dir.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    Set<String> acked = ConcurrentHashMap.newKeySet();
    CountDownLatch firstAck = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          if (line.startsWith("ACK ")) {
            acked.add(line.substring(4));
            firstAck.countDown();
          }
        }
      } catch (Exception e) {
        // The pipe breaks when the child dies; what was read is what counts.
      }
    });
    reader.start();
    try {
      assertThat(firstAck.await(60, TimeUnit.SECONDS)).as("child writes").isTrue();
      Thread.sleep(ThreadLocalRandom.current().nextLong(0, 1000));
    } finally {
      child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      reader.join(10_000);
    }
    assertThat(acked).isNotEmpty();

    Set<String> found = new HashSet<>();
    try (LogStore store = LogStore.open(dir, 1 << 20)) {
      String cursor = "";
      do {
        LogPage page = store.search(LogQuery.builder().serviceName("crash").limit(1000)
            .cursor(cursor).build());
        for (LogRecord r : page.records()) {
          assertThat(found.add((String) r.attributes().get("rid"))).as("no duplicate").isTrue();
        }
        cursor = page.nextCursor();
      } while (!cursor.isEmpty());
      assertThat(found).containsAll(acked);
      String one = acked.iterator().next();
      assertThat(store.search(LogQuery.builder().text(one).build()).records()).hasSize(1);
    }
  }
}
