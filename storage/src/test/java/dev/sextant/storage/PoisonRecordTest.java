package dev.sextant.storage;

import dev.sextant.storage.embedded.EmbeddedStorage;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records whose strings Lucene cannot take as one term (over 32766 UTF-8 bytes), put straight
 * into the store as a collector without limits would: the store keeps them, keeps the good
 * records of the same batch searchable, and opens again afterwards.
 */
class PoisonRecordTest {
  private static final long NOW = System.currentTimeMillis() * 1_000_000L;
  private static final String HUGE = "x".repeat(40_000);

  @TempDir
  Path dir;

  @Test
  void open_afterPoisonSpansAndLogs_succeedsAndKeepsEverything() {
    String trace = TestSpans.randomHex(32);
    Span good = TestSpans.span(trace, "7000000000000001", "", "good", "root", NOW, 50);
    Span longName = TestSpans.span(trace, "7000000000000002", "7000000000000001", "good", HUGE,
        NOW, 10);
    Span longService = TestSpans.span(trace, "7000000000000003", "7000000000000001", HUGE,
        "child", NOW, 10);
    Span longKey = Span.builder().traceId(trace).spanId("7000000000000004")
        .parentSpanId("7000000000000001").serviceName("good").name("child")
        .startTimeUnixNano(NOW).endTimeUnixNano(NOW + 10)
        .attributes(Map.of(HUGE, "v")).build();
    LogRecord goodLog = LogRecord.builder().timeUnixNano(NOW).body("good line")
        .serviceName("good").traceId(trace).correlationId("c-1").build();
    LogRecord longCorrelation = LogRecord.builder().timeUnixNano(NOW).body("poison line")
        .serviceName("good").traceId(trace).correlationId(HUGE).build();
    LogRecord longLogService = LogRecord.builder().timeUnixNano(NOW).body("poison line")
        .serviceName(HUGE).traceId(trace).build();
    LogRecord longLogKey = LogRecord.builder().timeUnixNano(NOW).body("poison line " + HUGE)
        .serviceName("good").traceId(trace).attributes(Map.of(HUGE, "v", "k", HUGE)).build();
    try (Storage s = EmbeddedStorage.open(dir)) {
      s.spanConsumer().accept(List.of(good, longName, longService, longKey)).join();
      s.logConsumer().accept(List.of(goodLog, longCorrelation, longLogService, longLogKey)).join();
    }
    try (Storage s = EmbeddedStorage.open(dir)) {
      assertThat(s.traceReader().getTrace(trace)).hasSize(4);
      assertThat(s.spanSearch().search(TraceQuery.builder().serviceName("good").build()))
          .extracting(TraceSummary::traceId).containsExactly(trace);
      assertThat(s.logReader().search(LogQuery.builder().correlationId("c-1").build())
          .records()).extracting(LogRecord::body).containsExactly("good line");
      assertThat(s.logReader().search(LogQuery.builder().traceId(trace).build()).records())
          .hasSize(4);
      // The index cuts terms to Lucene's limit, and queries the same way: nothing was skipped.
      assertThat(s.spanSearch().search(TraceQuery.builder().serviceName(HUGE).spanName("child")
          .build()))
          .extracting(TraceSummary::traceId).containsExactly(trace);
      assertThat(s.logReader().search(LogQuery.builder().correlationId(HUGE).build())
          .records()).hasSize(1);
      assertThat(s.unindexedRecords()).isZero();
    }
  }
}
