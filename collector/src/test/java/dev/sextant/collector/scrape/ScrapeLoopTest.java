package dev.sextant.collector.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.SampleBatch;
import dev.sextant.storage.metrics.StaleMarker;
import dev.sextant.storage.metrics.TimeSeries;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ScrapeLoopTest {
  private final ScrapeLoop loop = ScrapeLoop.of("shop", "app:8080");

  @Test
  void scraped_addsTargetLabelsAndReusesCachedSeries() throws Exception {
    List<TimeSeries> first = scrape("# TYPE a counter\na{job=\"x\",path=\"/o\"} 3\nb 1.5\n", 1000);
    List<TimeSeries> second = scrape("# TYPE a counter\na{job=\"x\",path=\"/o\"} 4\nb 2.25\n",
        2000);
    Labels a = first.get(0).labels();
    assertThat((Object) a).isEqualTo(Labels.of(Labels.NAME, "a", "exported_job", "x", "path", "/o",
        "job", "shop", "instance", "app:8080"));
    assertThat((Object) second.get(0).labels()).isSameAs(a);
    assertThat((Object) second.get(1).labels()).isSameAs(first.get(1).labels());
    assertThat(second.get(0).timestamps()).containsExactly(2000);
    assertThat(second.get(0).values()).containsExactly(4.0);
    assertThat(second.get(1).values()).containsExactly(2.25);
    assertThat(meta(second, "up")).isEqualTo(1.0);
    assertThat(meta(second, "scrape_samples_scraped")).isEqualTo(2.0);
    assertThat(meta(second, "scrape_duration_seconds")).isEqualTo(0.5);
  }

  @Test
  void scraped_seriesGoneGetsStaleMarkerUnlessItHadATimestamp() throws Exception {
    scrape("a 1\nb 2\nc 3 1234\n", 1000);
    List<TimeSeries> out = scrape("a 1\n", 2000);
    assertThat(out).hasSize(2 + 3);
    assertThat(out.get(1).labels().metricName()).isEqualTo("b");
    assertThat(StaleMarker.isStale(out.get(1).values()[0])).isTrue();
    assertThat(out.get(1).timestamps()).containsExactly(2000);
    // b comes back: a new sample, no marker
    out = scrape("a 1\nb 5\n", 3000);
    assertThat(out.get(1).values()).containsExactly(5.0);
    assertThat(out).hasSize(2 + 3);
  }

  @Test
  void scraped_explicitTimestampsAreKept() throws Exception {
    List<TimeSeries> out = scrape("a 1 1395066363000\nb 2\n", 5000);
    assertThat(out.get(0).timestamps()).containsExactly(1395066363000L);
    assertThat(out.get(1).timestamps()).containsExactly(5000);
    out = scrape("a 1 1395066364000\nb 2\n", 6000);
    assertThat(out.get(0).timestamps()).containsExactly(1395066364000L);
  }

  @Test
  void scraped_sameSeriesTwiceKeepsTheFirstSample() throws Exception {
    String body = "m{a=\"1\",b=\"2\"} 1\nm{b=\"2\",a=\"1\"} 2\nm{a=\"1\",b=\"2\"} 3\n";
    for (int i = 0; i < 2; i++) {
      List<TimeSeries> out = scrape(body, 1000 + i);
      assertThat(out).hasSize(1 + 3);
      assertThat(out.get(0).values()).containsExactly(1.0);
      assertThat(meta(out, "scrape_samples_scraped")).isEqualTo(3.0);
    }
  }

  @Test
  void failed_marksEverySeriesStaleAndUpZero() throws Exception {
    scrape("a 1\nb 2\n", 1000);
    assertThatThrownBy(() -> scrape("a 1\nb{x=1} 2\n", 2000))
        .isInstanceOf(TextFormatParser.ParseException.class).hasMessageContaining("line 2");
    List<TimeSeries> out = loop.failed(2000, 0.1);
    assertThat(out).extracting(t -> t.labels().metricName()).containsExactly("a", "b", "up",
        "scrape_duration_seconds", "scrape_samples_scraped");
    assertThat(StaleMarker.isStale(out.get(0).values()[0])).isTrue();
    assertThat(meta(out, "up")).isEqualTo(0.0);
    assertThat(loop.failed(3000, 0.1)).hasSize(3); // nothing left to mark
    out = scrape("a 7\n", 4000);
    assertThat(out.get(0).values()).containsExactly(7.0);
  }

  @Test
  void scraped_plainValuesParseExactlyAsParseDouble() throws Exception {
    SplittableRandom rnd = new SplittableRandom(3);
    StringBuilder body = new StringBuilder();
    String[] values = new String[2000];
    for (int i = 0; i < values.length; i++) {
      String v = switch (i % 5) {
        case 0 -> Long.toString(rnd.nextLong(-1_000_000_000_000L, 1_000_000_000_000L));
        case 1 -> Double.toString(rnd.nextDouble() * Math.pow(10, rnd.nextInt(-5, 12)));
        case 2 -> (rnd.nextBoolean() ? "-" : "") + rnd.nextInt(1000) + "." + rnd.nextInt(1000);
        case 3 -> "0." + "0".repeat(rnd.nextInt(15)) + rnd.nextLong(1, 1L << 53);
        default -> Long.toString(rnd.nextLong(1L << 52, 1L << 60));
      };
      values[i] = v;
      body.append("s{i=\"").append(i).append("\"} ").append(v).append('\n');
    }
    for (int round = 0; round < 2; round++) { // the second round takes the cached path
      List<TimeSeries> out = scrape(body.toString(), 1000 + round);
      for (int i = 0; i < values.length; i++) {
        assertThat(Double.doubleToRawLongBits(out.get(i).values()[0])).as(values[i])
            .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(values[i])));
      }
    }
  }

  @Test
  void scrapedSamples_keepsOneSeriesRefPerSeriesAcrossScrapes() throws Exception {
    SampleBatch first = loop.scrapedSamples(bytes("a 1\nb 2\n"), false, 1000, 0.5);
    SampleBatch second = loop.scrapedSamples(bytes("b 3\na 4\n"), false, 2000, 0.5);
    assertThat(first.size()).isEqualTo(2 + 3);
    assertThat(second.ref(0)).isSameAs(first.ref(1));
    assertThat(second.ref(1)).isSameAs(first.ref(0));
    assertThat(second.ref(2)).isSameAs(first.ref(2)); // up
    assertThat(second.ref(1).labels().metricName()).isEqualTo("a");
    assertThat(second.time(1)).isEqualTo(2000);
    assertThat(second.value(1)).isEqualTo(4.0);
  }

  @Test
  void scrapeTime_snapsToTheIntervalGridWithinTheTolerance() {
    ScrapeTarget t = new ScrapeTarget(new ScrapeConfig("j", List.of("h:1"),
        Duration.ofSeconds(5), Duration.ofSeconds(5), "/metrics", "http"),
        "h:1", null, null);
    assertThat(t.scrapeTime(1_000)).isEqualTo(1_000);
    assertThat(t.scrapeTime(6_003)).isEqualTo(6_000);
    assertThat(t.scrapeTime(11_040)).isEqualTo(11_040); // too late: its own time
    assertThat(t.scrapeTime(16_025)).isEqualTo(16_000);
    assertThat(t.scrapeTime(31_001)).isEqualTo(31_000); // skipped ticks
  }

  private List<TimeSeries> scrape(String body, long time)
      throws TextFormatParser.ParseException {
    return loop.scraped(body.getBytes(StandardCharsets.UTF_8), false, time, 0.5);
  }

  private static byte[] bytes(String body) {
    return body.getBytes(StandardCharsets.UTF_8);
  }

  private static double meta(List<TimeSeries> out, String name) {
    return out.stream().filter(t -> t.labels().metricName().equals(name)).findFirst()
        .orElseThrow().values()[0];
  }
}
