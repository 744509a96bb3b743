package dev.sextant.query.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Any string given to the PromQL parser either parses or fails with {@link ParseException}: no
 * other exception, no stack overflow, no hang. What parses prints to text that parses back to the
 * same expression (the printer is how rules and API answers show expressions).
 *
 * <p>{@code mvn verify} replays the seeds in {@code ParserFuzzTestInputs/}; to fuzz:
 * {@code JAZZER_FUZZ=1 mvn -pl query-api test -Dtest=ParserFuzzTest#parse_anyText_expressionOrParseException
 * -Djazzer.max_duration=10m}.
 */
class ParserFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void parse_anyText_expressionOrParseException(byte[] data) {
    String input = new String(data, StandardCharsets.UTF_8);
    Expr e;
    try {
      e = Parser.parse(input);
    } catch (ParseException expected) {
      return;
    }
    String printed = Printer.print(e);
    Expr again;
    try {
      again = Parser.parse(printed);
    } catch (ParseException bad) {
      throw new AssertionError("printed form of '" + input + "' does not parse: '" + printed
          + "': " + bad.getMessage(), bad);
    }
    assertThat(Printer.print(again)).as("round trip of '%s'", input).isEqualTo(printed);
  }

  @FuzzTest(maxDuration = "5m")
  void parseMetricSelector_anyText_matchersOrParseException(byte[] data) {
    try {
      assertThat(Parser.parseMetricSelector(new String(data, StandardCharsets.UTF_8))).isNotNull();
    } catch (ParseException expected) {
      // the series/labels APIs answer 400 with its message
    }
  }
}
