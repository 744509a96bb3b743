package dev.sextant.storage.metrics;

import dev.sextant.storage.embedded.EmbeddedMetricStore;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing child JVM with SIGKILL at a random moment, twice, and checks after each kill
 * that every acknowledged sample is in the reopened store.
 */
class MetricStoreCrashTest {
  @TempDir
  Path dir;

  @Test
  void sigkill_keepsEveryAcknowledgedSample() throws Exception {
    Random random = new Random();
    long firstSeq = 0;
    for (int round = 0; round < 2; round++) {
      long[] acked = runAndKill(firstSeq, random.nextInt(1500));
      System.out.println("round " + round + ": last acknowledged batch per writer "
          + Arrays.toString(acked) + " (first " + firstSeq + ")");
      try (MetricStore store = EmbeddedMetricStore.open(dir)) {
        long maxSeq = firstSeq;
        for (int w = 0; w < CrashChild.WRITERS; w++) {
          assertThat(acked[w]).as("writer %d acknowledged something", w).isGreaterThan(-1);
          for (int s = 0; s < CrashChild.SERIES_PER_WRITER; s++) {
            assertAcknowledgedPresent(store, w, s, firstSeq, acked[w]);
          }
          maxSeq = Math.max(maxSeq, acked[w]);
        }
        // The next child continues after everything this one may have written.
        firstSeq = maxSeq + 1_000_000;
      }
    }
  }

  private static void assertAcknowledgedPresent(MetricStore store, int writer, int series,
                                                long firstSeq, long lastAcked) {
    Labels labels = CrashChild.labels(writer, series);
    List<Series> found = store.select(List.of(LabelMatcher.eq("writer", Integer.toString(writer)),
        LabelMatcher.eq("series", Integer.toString(series))), CrashChild.time(firstSeq, 0),
        CrashChild.time(lastAcked, CrashChild.SAMPLES_PER_BATCH - 1));
    assertThat(found).extracting(Series::labels).containsExactly(labels);
    SampleIterator it = found.get(0).samples();
    for (long seq = firstSeq; seq <= lastAcked; seq++) {
      for (int i = 0; i < CrashChild.SAMPLES_PER_BATCH; i++) {
        assertThat(it.next()).as("%s seq %d sample %d present", labels, seq, i).isTrue();
        assertThat(it.timestamp()).isEqualTo(CrashChild.time(seq, i));
        assertThat(it.value()).isEqualTo(CrashChild.value(series, seq, i));
      }
    }
  }

  /** Returns, per writer, the last acknowledged batch sequence (-1 if none). */
  private long[] runAndKill(long firstSeq, long delayMillis) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // stdout goes to a file: what the child wrote before SIGKILL is there in full afterwards.
    Path out = Files.createTempFile(dir.getParent(), "crash-child", ".out");
    Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        CrashChild.class.getName(), dir.toString(), Long.toString(firstSeq))
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .redirectOutput(out.toFile())
        .start();
    try {
      // Kill at a random moment once every writer has had an acknowledgement, so the check has
      // something to check even on a slow, shared machine.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (!allWritersAcked(readAcks(out))) {
        assertThat(p.isAlive()).as("child alive").isTrue();
        assertThat(System.nanoTime()).as("child acknowledged writes in time").isLessThan(deadline);
        Thread.sleep(20);
      }
      Thread.sleep(delayMillis);
    } finally {
      p.destroyForcibly();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    long[] acked = readAcks(out);
    Files.delete(out);
    return acked;
  }

  private static boolean allWritersAcked(long[] acked) {
    return Arrays.stream(acked).allMatch(seq -> seq >= 0);
  }

  private static long[] readAcks(Path out) throws IOException {
    long[] acked = new long[CrashChild.WRITERS];
    Arrays.fill(acked, -1);
    for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      String[] parts = line.split(" ");
      if (parts.length == 3 && parts[0].equals("ACK")) {
        try {
          int w = Integer.parseInt(parts[1]);
          acked[w] = Math.max(acked[w], Long.parseLong(parts[2]));
        } catch (NumberFormatException e) {
          // a line cut short by the kill
        }
      }
    }
    return acked;
  }
}
