package dev.sextant.storage.internal.spans;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.embedded.EmbeddedStorage;
import dev.sextant.storage.Storage;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.TraceSummary;
import dev.sextant.storage.embedded.DefaultEmbeddedStorage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockCrashTest {
  @TempDir
  Path dir;

  @Test
  void killedWhileBlocksRollAndSeal_everyAcknowledgedTraceIsReadableAndSearchable()
      throws Exception {
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"),
        BlockCrashMain.class.getName(), dir.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    Set<String> acked = ConcurrentHashMap.newKeySet();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          if (line.startsWith("ACK ")) {
            acked.add(line.substring(4));
          }
        }
      } catch (Exception e) {
        // The pipe breaks when the child dies; what was read is what counts.
      }
    });
    reader.start();
    try {
      // A loaded machine may be slow to write; some acknowledgements are enough.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (acked.size() < 50 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      // Blocks roll every 200 ms of child time: several have been sealed by now.
      Thread.sleep(1000 + ThreadLocalRandom.current().nextLong(0, 500));
    } finally {
      child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      reader.join(10_000);
    }
    assertThat(acked).hasSizeGreaterThan(20);

    try (Storage s = EmbeddedStorage.open(dir)) {
      assertThat(((DefaultEmbeddedStorage) s).spans().blockSearches()).hasSizeGreaterThan(3);
      for (String trace : acked) {
        assertThat(s.traceReader().getTrace(trace)).as(trace).hasSize(5);
        List<TraceSummary> found = s.spanSearch().search(
            TraceQuery.builder().attribute("batch", trace).build());
        assertThat(found).as(trace).singleElement().extracting(TraceSummary::spanCount)
            .isEqualTo(5);
      }
    }
  }
}
