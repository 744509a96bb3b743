package dev.sextant.alert.internal.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sextant.alert.query.Sample;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Any text as an alert template either fails to parse or to execute with a
 * {@link TemplateException}, or expands to at most {@link Executor#MAX_OUTPUT} characters: no
 * other exception, no OOM from a huge printf width or a doubling loop, no hang on a huge range
 * (the fuzzer's per-input timeout reports a slow input).
 *
 * <p>{@code mvn verify} replays the seeds in {@code TemplateFuzzTestInputs/}; to fuzz:
 * {@code JAZZER_FUZZ=1 mvn -pl alert-engine test -Dtest=TemplateFuzzTest
 * -Djazzer.max_duration=10m}.
 */
class TemplateFuzzTest {
  private static final TemplateContext CTX = new TemplateContext(
      Map.of("instance", "host-1:9100", "job", "node"), Map.of("cluster", "eu1"),
      "https://sextant.example", 1234.5,
      (q, t) -> List.of(Sample.of(3, "__name__", "up", "instance", "b")), Instant.EPOCH);

  @FuzzTest(maxDuration = "5m")
  @DictionaryEntries({"{{", "}}", "{{-", "-}}", "printf", "\"%", "%s", "%d", "%f", "%*d", "%.",
      "range", "if", "with", "else", "end", "$labels", "$value", ".Labels", "humanize",
      "humanizeDuration", "humanize1024", "title", "reReplaceAll", "query", "first", "len",
      "index", "1500000000", "(", ")", "|", ":=", "=", "$x"})
  void execute_anyText_textOrTemplateException(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    AlertTemplate t;
    try {
      t = AlertTemplate.parse("fuzz", text);
    } catch (TemplateException expected) {
      return;
    }
    try {
      assertThat(t.execute(CTX).length()).isLessThanOrEqualTo(Executor.MAX_OUTPUT);
    } catch (TemplateException expected) {
      // becomes "<error expanding template: ...>" in the annotation
    }
  }
}
