package dev.sextant.collector.red;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.storage.Span;
import dev.sextant.storage.SpanKind;
import dev.sextant.storage.StatusCode;
import dev.sextant.storage.embedded.EmbeddedMetricStore;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.MetricStore;
import dev.sextant.storage.metrics.SampleIterator;
import dev.sextant.storage.metrics.Series;
import dev.sextant.storage.metrics.SpanMetricNames;
import dev.sextant.storage.metrics.TimeSeries;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedMetricsTest {
  @TempDir
  Path dir;

  private static Span span(StatusCode status) {
    return Span.builder().traceId("0af7651916cd43dd8448eb211c80319c").spanId("b7ad6b7169203331")
        .serviceName("payments").name("charge").kind(SpanKind.SERVER).statusCode(status)
        .startTimeUnixNano(1_000_000_000L).endTimeUnixNano(1_050_000_000L).build();
  }

  private static List<String> samples(List<TimeSeries> out, String name, String status) {
    return out.stream().filter(ts -> ts.labels().get(Labels.NAME).equals(name)
            && (status == null || status.equals(ts.labels().get(SpanMetricNames.STATUS_CODE))))
        .map(ts -> ts.timestamps()[0] + "=" + ts.values()[0]).collect(Collectors.toList());
  }

  @Test
  void snapshot_seriesSeenFirstStartsFromZeroOneMillisecondEarlier() throws Exception {
    RedMetrics red = new RedMetrics();
    red.record(List.of(span(StatusCode.OK), span(StatusCode.OK)));
    List<TimeSeries> first = red.snapshot(10_000);
    assertThat(samples(first, SpanMetricNames.CALLS, "STATUS_CODE_OK"))
        .containsExactly("9999=0.0", "10000=2.0");
    assertThat(samples(first, SpanMetricNames.ERRORS, null))
        .containsExactly("9999=0.0", "10000=0.0");

    // The first error arrives between flushes: its calls series is new and starts at zero, so a
    // rate over calls summed across status codes sees it, as the errors series does.
    red.record(List.of(span(StatusCode.ERROR), span(StatusCode.ERROR), span(StatusCode.OK)));
    List<TimeSeries> second = red.snapshot(20_000);
    assertThat(samples(second, SpanMetricNames.CALLS, "STATUS_CODE_ERROR"))
        .containsExactly("19999=0.0", "20000=2.0");
    assertThat(samples(second, SpanMetricNames.CALLS, "STATUS_CODE_OK"))
        .containsExactly("20000=3.0");
    assertThat(samples(second, SpanMetricNames.ERRORS, null)).containsExactly("20000=2.0");

    // The store takes the zero and the value of a new series from one write, in that order.
    try (MetricStore store = EmbeddedMetricStore.open(dir)) {
      store.write(first).join();
      store.write(second).join();
      List<Series> errors = store.select(List.of(
          LabelMatcher.eq(Labels.NAME, SpanMetricNames.CALLS),
          LabelMatcher.eq(SpanMetricNames.STATUS_CODE, "STATUS_CODE_ERROR")), 0, Long.MAX_VALUE);
      assertThat(errors).hasSize(1);
      SampleIterator it = errors.get(0).samples();
      StringBuilder stored = new StringBuilder();
      while (it.next()) {
        stored.append(it.timestamp()).append('=').append(it.value()).append(' ');
      }
      assertThat(stored.toString()).isEqualTo("19999=0.0 20000=2.0 ");
    }
  }
}
