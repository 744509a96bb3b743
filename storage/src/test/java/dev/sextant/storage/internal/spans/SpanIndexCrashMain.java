package dev.sextant.storage.internal.spans;

import dev.sextant.storage.Attributes;
import dev.sextant.storage.Span;
import dev.sextant.storage.TestSpans;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Child process of {@link SpanIndexerCrashTest}: indexes spans until killed. Prints
 * {@code ACK <batch> <durableAtUnixNano>} for every batch whose {@code index} call returned (the
 * time taken just before the call, as a span store would record when its write became durable) and
 * {@code COMMIT <watermark>} for every commit.
 */
public final class SpanIndexCrashMain {
  private SpanIndexCrashMain() {}

  public static void main(String[] args) {
    SpanIndexer indexer = SpanIndexer.open(Path.of(args[0]),
        w -> System.out.println("COMMIT " + w), 100, SpanIndexerCrashTest.MARGIN_NANOS);
    System.out.println("READY");
    for (int batch = 0; ; batch++) {
      long durableAt = System.currentTimeMillis() * 1_000_000L;
      String trace = TestSpans.randomHex(32);
      List<Span> spans = new ArrayList<>();
      // Distinct starts: spans alike in start, duration, name and the span ID's low 16 bits
      // would count once here, where no stored spans correct a summary (not what this checks).
      for (int i = 0; i < 10; i++) {
        spans.add(Span.builder().traceId(trace).spanId(TestSpans.randomHex(16))
            .serviceName("crash").name("op").startTimeUnixNano(durableAt + i)
            .endTimeUnixNano(durableAt + i + 1000).attributes(Attributes.of("batch", "b" + batch))
            .build());
      }
      indexer.index(spans);
      System.out.println("ACK b" + batch + " " + durableAt);
    }
  }
}
