package dev.sextant.storage.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogRecord;
import dev.sextant.storage.Span;
import dev.sextant.storage.SpanKind;
import dev.sextant.storage.StatusCode;
import dev.sextant.storage.Storage;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.TraceSummary;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.SampleIterator;
import dev.sextant.storage.metrics.Series;
import dev.sextant.storage.metrics.StaleMarker;
import dev.sextant.storage.metrics.TimeSeries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The storage contract every backend must meet, in the spirit of Zipkin's {@code ITStorage}: a
 * backend's test extends this class and says how to open a fresh, empty {@link Storage}. The
 * tests only use the public interfaces (span consumer, trace reader, span search, logs, metrics).
 */
public abstract class StorageConformance {
  private static final long NOW = System.currentTimeMillis() * 1_000_000L;

  protected Storage storage;

  /** A new, empty store; closed after each test. */
  protected abstract Storage openEmpty() throws Exception;

  @BeforeEach
  void open() throws Exception {
    storage = openEmpty();
  }

  @AfterEach
  void close() {
    storage.close();
  }

  static String hex(int chars) {
    StringBuilder sb = new StringBuilder("1");
    while (sb.length() < chars) {
      sb.append(Character.forDigit(ThreadLocalRandom.current().nextInt(16), 16));
    }
    return sb.toString();
  }

  static Span span(String traceId, String spanId, String parent, String service, String name,
      long startOffsetNanos, long durationNanos, StatusCode status) {
    return Span.builder().traceId(traceId).spanId(spanId).parentSpanId(parent)
        .serviceName(service).name(name).kind(parent.isEmpty() ? SpanKind.SERVER : SpanKind.CLIENT)
        .startTimeUnixNano(NOW + startOffsetNanos)
        .endTimeUnixNano(NOW + startOffsetNanos + durationNanos)
        .attributes(Map.of("http.route", "/" + name)).statusCode(status).build();
  }

  @Test
  void spans_traceIsReadBackWholeAndOnlyItsSpans() {
    String t1 = hex(32);
    String t2 = hex(32);
    storage.spanConsumer().accept(List.of(
        span(t1, "a000000000000001", "", "web", "root", 0, 100, StatusCode.UNSET),
        span(t1, "a000000000000002", "a000000000000001", "db", "query", 10, 20, StatusCode.OK),
        span(t2, "a000000000000003", "", "web", "other", 0, 5, StatusCode.UNSET))).join();
    assertThat(storage.traceReader().getTrace(t1)).extracting(Span::spanId)
        .containsExactlyInAnyOrder("a000000000000001", "a000000000000002");
    assertThat(storage.traceReader().getTrace(hex(32))).isEmpty();
  }

  @Test
  void spans_traceReadWithALimitStopsThere() {
    String t = hex(32);
    List<Span> spans = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      spans.add(span(t, "c00000000000000" + i, i == 1 ? "" : "c000000000000001", "web",
          "op" + i, i, 1, StatusCode.UNSET));
    }
    storage.spanConsumer().accept(spans).join();
    List<Span> three = storage.traceReader().getTrace(t, 3);
    assertThat(three).hasSize(3).extracting(Span::traceId).containsOnly(t);
    assertThat(three).extracting(Span::spanId).doesNotHaveDuplicates();
    assertThat(storage.traceReader().getTrace(t, 5)).hasSize(5);
    assertThat(storage.traceReader().getTrace(t, 6)).hasSize(5);
    assertThat(storage.traceReader().getTrace(hex(32), 1)).isEmpty();
    assertThatThrownBy(() -> storage.traceReader().getTrace(t, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit: 0");
  }

  @Test
  void spans_searchFindsTracesByServiceErrorsAndDuration() {
    String slow = hex(32);
    String failed = hex(32);
    storage.spanConsumer().accept(List.of(
        span(slow, "b000000000000001", "", "checkout", "pay", 0, 2_000_000_000L, StatusCode.UNSET),
        span(failed, "b000000000000002", "", "checkout", "pay", 0, 1_000, StatusCode.ERROR)))
        .join();
    assertThat(storage.spanSearch().search(TraceQuery.builder().serviceName("checkout")
        .errorsOnly(true).build())).extracting(TraceSummary::traceId).containsExactly(failed);
    assertThat(storage.spanSearch().search(TraceQuery.builder().serviceName("checkout")
        .minDuration(Duration.ofSeconds(1)).build())).extracting(TraceSummary::traceId)
        .containsExactly(slow);
    assertThat(storage.spanSearch().services()).contains("checkout");
    assertThat(storage.spanSearch().spanNames("checkout")).containsExactly("pay");
  }

  @Test
  void logs_fullTextAndCorrelationIdNewestFirst() {
    storage.logConsumer().accept(List.of(
        LogRecord.builder().timeUnixNano(NOW).body("payment declined").serviceName("pay")
            .correlationId("c-1").severityNumber(17).build(),
        LogRecord.builder().timeUnixNano(NOW + 1).body("payment retried").serviceName("pay")
            .correlationId("c-1").severityNumber(9).build())).join();
    assertThat(storage.logReader().search(LogQuery.builder().correlationId("c-1").build())
        .records()).extracting(LogRecord::body)
        .containsExactly("payment retried", "payment declined");
    assertThat(storage.logReader().search(LogQuery.builder().text("declined").build())
        .records()).hasSize(1);
  }

  @Test
  void metrics_selectByMatchersReturnsSamplesAndStaleMarkersExactly() {
    long t = System.currentTimeMillis();
    storage.metricWriter().write(List.of(
        new TimeSeries(Labels.of("__name__", "up", "job", "api"), new long[] {t, t + 15_000},
            new double[] {1, StaleMarker.VALUE}),
        TimeSeries.of(Labels.of("__name__", "up", "job", "db"), t, 0))).join();
    List<Series> api = storage.metricReader().select(List.of(LabelMatcher.eq("__name__", "up"),
        LabelMatcher.re("job", "a.*")), t, t + 15_000);
    assertThat(api).singleElement().satisfies(s -> {
      SampleIterator it = s.samples();
      assertThat(it.next()).isTrue();
      assertThat(it.value()).isEqualTo(1.0);
      assertThat(it.next()).isTrue();
      assertThat(StaleMarker.isStale(it.value())).isTrue();
      assertThat(it.next()).isFalse();
    });
    assertThat(storage.metricReader().labelValues("job", List.of(), t, t + 15_000))
        .containsExactlyInAnyOrder("api", "db");
  }

  @Test
  void traceReader_rejectsMalformedIds() {
    assertThatThrownBy(() -> storage.traceReader().getTrace("xyz"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
