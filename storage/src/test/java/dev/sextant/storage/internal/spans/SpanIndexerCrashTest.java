package dev.sextant.storage.internal.spans;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.TraceSummary;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpanIndexerCrashTest {
  // Far below the production minute, so spans close to the kill are checked too; it only has to
  // cover the instant between taking a span's durable time and entering index().
  static final long MARGIN_NANOS = 200_000_000L;

  @TempDir
  Path dir;

  @Test
  void killedIndexer_everySpanBeforeTheRecoveryPointIsSearchable() throws Exception {
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"),
        SpanIndexCrashMain.class.getName(), dir.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    Map<String, Long> acked = new ConcurrentHashMap<>();
    CountDownLatch committedSome = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      long firstAck = Long.MAX_VALUE;
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          String[] parts = line.split(" ");
          if (parts.length == 3 && parts[0].equals("ACK")) {
            acked.put(parts[1], Long.parseLong(parts[2]));
            firstAck = Math.min(firstAck, Long.parseLong(parts[2]));
          } else if (parts.length == 2 && parts[0].equals("COMMIT")
              && Long.parseLong(parts[1]) - MARGIN_NANOS > firstAck) {
            committedSome.countDown();
          }
        }
      } catch (Exception e) {
        // The pipe breaks when the child dies; what was read is what counts.
      }
    });
    reader.start();
    try {
      assertThat(committedSome.await(60, TimeUnit.SECONDS)).as("a commit covers a batch").isTrue();
      Thread.sleep(ThreadLocalRandom.current().nextLong(0, 500));
    } finally {
      child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      reader.join(10_000);
    }

    try (SpanIndexer indexer = SpanIndexer.open(dir, w -> {}, 100, MARGIN_NANOS)) {
      long recoveryPoint = indexer.recoveryPointUnixNano();
      int checked = 0;
      for (Map.Entry<String, Long> e : acked.entrySet()) {
        if (e.getValue() < recoveryPoint) {
          assertThat(indexer.search(TraceQuery.builder().attribute("batch", e.getKey()).build()))
              .as(e.getKey()).singleElement().extracting(TraceSummary::spanCount).isEqualTo(10);
          checked++;
        }
      }
      assertThat(checked).as("batches before the recovery point").isPositive();
    }
  }
}
