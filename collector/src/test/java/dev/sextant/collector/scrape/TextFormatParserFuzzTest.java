package dev.sextant.collector.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sextant.storage.metrics.Labels;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Any scraped body either parses into samples that each have a metric name, or fails with
 * {@link TextFormatParser.ParseException} (the scrape then records {@code up 0}); never another
 * exception or a hang. Byte 0's low bit picks OpenMetrics, the rest is the body.
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
    String body = new String(Arrays.copyOfRange(data, 1, data.length), StandardCharsets.UTF_8);
    List<ScrapedSample> samples;
    try {
      samples = TextFormatParser.parse(body, openMetrics);
    } catch (TextFormatParser.ParseException expected) {
      assertThat(expected.getMessage()).startsWith("line ");
      return;
    }
    for (ScrapedSample s : samples) {
      assertThat(s.labels().get(Labels.NAME)).as("metric name of %s", s).isNotBlank();
    }
  }
}
