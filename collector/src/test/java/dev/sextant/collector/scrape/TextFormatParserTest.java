package dev.sextant.collector.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.storage.metrics.MetricMetadata;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextFormatParserTest {
  @Test
  void parse_prometheusTextWithEscapesSpecialValuesAndTimestamps() throws Exception {
    String text = """
        # HELP http_requests_total Requests.
        # TYPE http_requests_total counter
        http_requests_total{method="post",path="/a \\"b\\"\\n"} 1027 1395066363000
        http_requests_total{method="get",} 3
        # a free comment
        temperature -Inf
        ratio NaN
        up{job="x"} +Inf
        """;
    List<ScrapedSample> s = TextFormatParser.parse(text, false);
    assertThat(s).hasSize(5);
    assertThat(s.get(0).labels().get("path")).isEqualTo("/a \"b\"\n");
    assertThat(s.get(0).timestampMillis()).isEqualTo(1395066363000L);
    assertThat(s.get(1).labels().get("method")).isEqualTo("get");
    assertThat(s.get(1).timestampMillis()).isEqualTo(-1);
    assertThat(s.get(2).value()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(s.get(3).value()).isNaN();
    assertThat(s.get(4).value()).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @Test
  void parse_openMetricsDropsCreatedIgnoresExemplarsAndReadsSecondTimestamps() throws Exception {
    String text = """
        # TYPE rpc counter
        rpc_total{code="200"} 5 1700000000.5 # {trace_id="abc"} 1.0 1700000000.1
        rpc_created{code="200"} 1699999999
        # TYPE g gauge
        g_created 3
        # EOF
        ignored_after_eof 1
        """;
    List<ScrapedSample> s = TextFormatParser.parse(text, true);
    assertThat(s).extracting(x -> x.labels().metricName()).containsExactly("rpc_total",
        "g_created");
    assertThat(s.get(0).timestampMillis()).isEqualTo(1700000000500L);
  }

  @Test
  void metadata_typeHelpAndUnitLinesWithEscapes() throws Exception {
    ScrapeLoop loop = ScrapeLoop.of("job", "host:1");
    String text = """
        # HELP http_requests_total Requests, with a \\\\ and a\\nnewline.
        # TYPE http_requests_total counter
        http_requests_total 3
        # TYPE legacy untyped
        legacy 1
        # HELP only_help Just help.
        only_help 2
        # TYPE latency_seconds histogram
        # UNIT latency_seconds seconds
        # HELP latency_seconds
        latency_seconds_count 0
        """;
    loop.scraped(text.getBytes(StandardCharsets.UTF_8), false, 1000, 0.01);
    assertThat(loop.metadata()).containsExactly(
        new MetricMetadata("http_requests_total", MetricMetadata.Type.COUNTER,
            "Requests, with a \\ and a\nnewline.", ""),
        new MetricMetadata("legacy", MetricMetadata.Type.UNKNOWN, "", ""),
        new MetricMetadata("latency_seconds", MetricMetadata.Type.HISTOGRAM, "", "seconds"),
        new MetricMetadata("only_help", MetricMetadata.Type.UNKNOWN, "Just help.", ""));
    // A failed scrape keeps what the last good one said.
    loop.failed(2000, 0.01);
    assertThat(loop.metadata()).hasSize(4);
  }

  @Test
  void parse_errorsNameTheLine() {
    assertThatThrownBy(() -> TextFormatParser.parse("ok 1\nbad{x=1} 2\n", false))
        .hasMessageContaining("line 2").hasMessageContaining("label x");
    assertThatThrownBy(() -> TextFormatParser.parse("m abc\n", false))
        .hasMessageContaining("line 1: invalid sample value 'abc'");
  }
}
