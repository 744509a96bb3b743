package dev.sextant.collector.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sextant.storage.metrics.Labels;
import java.nio.charset.StandardCharsets;
import dev.sextant.storage.metrics.TimeSeries;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Any scraped body either parses into samples that each have a metric name, or fails with
 * {@link TextFormatParser.ParseException} (the scrape then records {@code up 0}); never another
 * exception or a hang. {@link ScrapeLoop}, which reads cached series from the bytes, agrees with
 * the parser on every body, on a first scrape and on a cached second one. Byte 0's low bit picks
 * OpenMetrics, the rest is the body.
 *
 * <p>Seeds in {@code TextFormatParserFuzzTestInputs/}. To fuzz: {@code JAZZER_FUZZ=1 mvn -pl
 * collector test -Dtest=TextFormatParserFuzzTest -Djazzer.max_duration=10m}.
 */
class TextFormatParserFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void parse_anyBody_samplesOrParseException(byte[] data) {
    if (data.length == 0) {
      return;
    }
    boolean openMetrics = (data[0] & 1) == 1;
    byte[] bytes = Arrays.copyOfRange(data, 1, data.length);
    String body = new String(bytes, StandardCharsets.UTF_8);
    List<ScrapedSample> samples;
    try {
      samples = TextFormatParser.parse(body, openMetrics);
    } catch (TextFormatParser.ParseException expected) {
      assertThat(expected.getMessage()).startsWith("line ");
      ScrapeLoop loop = ScrapeLoop.of("j", "i:1");
      assertThatThrownBy(() -> loop.scraped(bytes, openMetrics, 5, 0))
          .isInstanceOf(TextFormatParser.ParseException.class)
          .hasMessage(expected.getMessage());
      return;
    }
    for (ScrapedSample s : samples) {
      assertThat(s.labels().get(Labels.NAME)).as("metric name of %s", s).isNotBlank();
    }
    ScrapeLoop loop = ScrapeLoop.of("j", "i:1");
    for (int round = 0; round < 2; round++) {
      List<TimeSeries> out;
      try {
        out = loop.scraped(bytes, openMetrics, 5 + round, 0);
      } catch (TextFormatParser.ParseException e) {
        throw new AssertionError("the parser accepted what the scrape loop rejected", e);
      }
      assertThat(out.subList(0, out.size() - 3)).map(ts -> ts.labels().toString() + " "
              + Double.doubleToRawLongBits(ts.values()[0]) + " " + ts.timestamps()[0])
          .containsExactlyElementsOf(expected(samples, 5 + round));
    }
  }

  /** What the scrape loop should make of the parser's samples: relabelled, first one wins. */
  private static List<String> expected(List<ScrapedSample> samples, long time) {
    Set<Labels> seen = new HashSet<>();
    List<String> out = new ArrayList<>();
    for (ScrapedSample s : samples) {
      TreeMap<String, String> m = s.labels().toMap();
      String job = m.remove("job");
      String instance = m.remove("instance");
      if (job != null) {
        m.put("exported_job", job);
      }
      if (instance != null) {
        m.put("exported_instance", instance);
      }
      m.put("job", "j");
      m.put("instance", "i:1");
      Labels l = Labels.of(m);
      if (seen.add(l)) {
        out.add(l + " " + Double.doubleToRawLongBits(s.value()) + " "
            + (s.timestampMillis() >= 0 ? s.timestampMillis() : time));
      }
    }
    return out;
  }
}
