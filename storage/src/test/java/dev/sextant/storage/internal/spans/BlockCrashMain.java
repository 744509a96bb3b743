package dev.sextant.storage.internal.spans;

import dev.sextant.storage.Attributes;
import dev.sextant.storage.Retention;
import dev.sextant.storage.Span;
import dev.sextant.storage.Storage;
import dev.sextant.storage.TestSpans;
import dev.sextant.storage.embedded.DefaultEmbeddedStorage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Child process of {@link BlockCrashTest}: writes traces of five spans through the embedded
 * storage until killed, on a clock running 300 times fast so one-minute blocks roll over, get
 * sealed (compacted, merged) and written again while it runs. Prints {@code ACK <traceId>} for
 * every acknowledged batch.
 */
public final class BlockCrashMain {
  private BlockCrashMain() {}

  public static void main(String[] args) throws Exception {
    long base = System.currentTimeMillis();
    long startNanos = System.nanoTime();
    Storage s = DefaultEmbeddedStorage.open(Path.of(args[0]), 64 << 20, Retention.defaults(),
        Duration.ofMillis(100), Duration.ofMinutes(1),
        () -> base + (System.nanoTime() - startNanos) / 1_000_000L * 300);
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      Thread w = new Thread(() -> write(s));
      w.start();
      writers.add(w);
    }
    for (Thread w : writers) {
      w.join();
    }
  }

  private static void write(Storage s) {
    while (true) {
      String trace = TestSpans.randomHex(32);
      long now = System.currentTimeMillis() * 1_000_000L;
      List<Span> spans = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        spans.add(Span.builder().traceId(trace).spanId(TestSpans.randomHex(16))
            .serviceName("crash").name("op").startTimeUnixNano(now).endTimeUnixNano(now + 1000)
            .attributes(Attributes.of("batch", trace)).build());
      }
      s.spanConsumer().accept(spans).join();
      System.out.println("ACK " + trace);
    }
  }
}
