package dev.sextant.storage.conformance;

import static dev.sextant.storage.conformance.Fixtures.root;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogRecord;
import dev.sextant.storage.Retention;
import dev.sextant.storage.Span;
import dev.sextant.storage.Storage;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.TraceSummary;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.TimeSeries;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@link Retention} (backends with {@link StorageConformance#openWithRetention}): data is kept
 * at least its signal's retention and dropped, whole, once older than retention plus one block
 * (plus the check interval). Spans age from when they were written, log records from their
 * time, samples from their timestamp. Time moves on a {@link MovableClock}.
 */
public interface RetentionContract extends StorageKit {
  Duration BLOCK = Duration.ofMinutes(1);
  Duration HOUR = Duration.ofHours(1);
  Duration DAY = Duration.ofDays(1);
  /** Longer than a few retention checks (at least one a second). */
  Duration SEVERAL_CHECKS = Duration.ofMillis(2500);

  private Storage openOrSkip(Retention retention, MovableClock clock) throws Exception {
    Storage s = openWithRetention(retention, BLOCK, clock);
    assumeTrue(s != null, "the backend cannot be opened on a movable clock");
    return s;
  }

  private static void await(Runnable assertion) {
    Awaitility.await().pollInSameThread().atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(assertion::run);
  }

  private static LogRecord logAt(MovableClock clock, String body) {
    return LogRecord.builder().timeUnixNano(clock.nowMillis() * 1_000_000L).serviceName("a")
        .body(body).build();
  }

  private static TimeSeries sampleAt(MovableClock clock, String job) {
    return TimeSeries.of(Labels.of("__name__", "m", "job", job), clock.nowMillis(), 1);
  }

  private static List<String> bodies(Storage s) {
    return s.logReader().search(LogQuery.builder().build()).records().stream()
        .map(LogRecord::body).toList();
  }

  private static List<String> jobs(Storage s) {
    return s.metricReader().select(List.of(LabelMatcher.eq("__name__", "m")), 0,
        Long.MAX_VALUE).stream().map(x -> x.labels().get("job")).toList();
  }

  @Test
  default void retention_dropsTracesOlderThanTheirRetentionAndKeepsNewerOnes()
      throws Exception {
    MovableClock clock = new MovableClock();
    try (Storage s = openOrSkip(new Retention(HOUR, DAY, DAY), clock)) {
      Span old = root("web", "old", 0, 1);
      write(s, old);
      clock.advance(HOUR.plus(BLOCK).plus(BLOCK));
      Span fresh = root("web", "fresh", 0, 1);
      write(s, fresh);

      await(() -> assertThat(s.traceReader().getTrace(old.traceId())).isEmpty());
      assertThat(s.traceReader().getTrace(fresh.traceId())).hasSize(1);
      assertThat(s.spanSearch().search(TraceQuery.builder().build()))
          .extracting(TraceSummary::traceId).containsExactly(fresh.traceId());
      assertThat(s.spanSearch().spanNames("web")).contains("fresh");
    }
  }

  @Test
  default void retention_dropsLogRecordsOlderThanTheirRetentionAndKeepsNewerOnes()
      throws Exception {
    MovableClock clock = new MovableClock();
    try (Storage s = openOrSkip(new Retention(DAY, HOUR, DAY), clock)) {
      s.logConsumer().accept(List.of(logAt(clock, "old"))).join();
      clock.advance(HOUR.plus(BLOCK).plus(BLOCK));
      s.logConsumer().accept(List.of(logAt(clock, "fresh"))).join();

      await(() -> assertThat(bodies(s)).containsExactly("fresh"));
    }
  }

  @Test
  default void retention_dropsSamplesOlderThanTheirRetentionAndKeepsNewerOnes()
      throws Exception {
    MovableClock clock = new MovableClock();
    try (Storage s = openOrSkip(new Retention(DAY, DAY, HOUR), clock)) {
      s.metricWriter().write(List.of(sampleAt(clock, "old"))).join();
      clock.advance(HOUR.plus(BLOCK).plus(BLOCK));
      s.metricWriter().write(List.of(sampleAt(clock, "fresh"))).join();

      await(() -> assertThat(jobs(s)).containsExactly("fresh"));
    }
  }

  @Test
  default void retention_keepsEverySignalWithinItsRetention() throws Exception {
    MovableClock clock = new MovableClock();
    try (Storage s = openOrSkip(new Retention(HOUR, HOUR, HOUR), clock)) {
      Span span = root("web", "kept", 0, 1);
      write(s, span);
      s.logConsumer().accept(List.of(logAt(clock, "kept"))).join();
      s.metricWriter().write(List.of(sampleAt(clock, "kept"))).join();
      clock.advance(HOUR.minus(BLOCK.multipliedBy(3)));

      Thread.sleep(SEVERAL_CHECKS.toMillis());
      assertThat(s.traceReader().getTrace(span.traceId())).hasSize(1);
      assertThat(bodies(s)).containsExactly("kept");
      assertThat(jobs(s)).containsExactly("kept");
    }
  }

  @Test
  default void retention_ofOneSignalLeavesTheOthersAlone() throws Exception {
    MovableClock clock = new MovableClock();
    try (Storage s = openOrSkip(new Retention(HOUR, DAY, DAY), clock)) {
      Span span = root("web", "short-lived", 0, 1);
      write(s, span);
      s.logConsumer().accept(List.of(logAt(clock, "kept"))).join();
      s.metricWriter().write(List.of(sampleAt(clock, "kept"))).join();
      clock.advance(HOUR.plus(BLOCK).plus(BLOCK));

      await(() -> assertThat(s.traceReader().getTrace(span.traceId())).isEmpty());
      Thread.sleep(SEVERAL_CHECKS.toMillis());
      assertThat(bodies(s)).containsExactly("kept");
      assertThat(jobs(s)).containsExactly("kept");
    }
  }
}
