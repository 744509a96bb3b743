package dev.sextant.query.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The nesting and length limits: refused as ordinary parse errors with a position. */
class ParserLimitsTest {
  /** Expressions nested exactly {@code levels} deep, one per construct that nests. */
  static List<String> nested(int levels) {
    int n = levels - 1; // the outermost expression is the first level
    return List.of(
        "(".repeat(n) + "up" + ")".repeat(n),
        "abs(".repeat(n) + "up" + ")".repeat(n),
        "sum(".repeat(n) + "up" + ")".repeat(n),
        "-".repeat(n) + "up",
        "up" + " + up".repeat(n),
        "2" + " ^ 2".repeat(n),
        "up" + " and up".repeat(n));
  }

  @Test
  void parse_atMaxDepth_parsesAndPrints() {
    for (String q : nested(Parser.MAX_DEPTH)) {
      Expr e = Parser.parse(q);
      assertThat(Parser.parse(Printer.print(e))).as(q).isNotNull();
    }
  }

  @Test
  void parse_pastMaxDepth_isAParseErrorWithPosition() {
    for (String q : nested(Parser.MAX_DEPTH + 1)) {
      assertThatThrownBy(() -> Parser.parse(q)).as(q)
          .isInstanceOf(ParseException.class)
          .hasMessageMatching("1:\\d+: parse error: expression nested too deeply "
              + "\\(limit: 256 levels\\)");
    }
  }

  @Test
  void parse_twentyThousandParens_isAParseErrorAtTheFirstTooDeepParen() {
    String q = "(".repeat(20_000) + "1" + ")".repeat(20_000);
    assertThatThrownBy(() -> Parser.parse(q))
        .isInstanceOf(ParseException.class)
        .hasMessageStartingWith("1:257: parse error: expression nested too deeply")
        .satisfies(e -> assertThat(((ParseException) e).column()).isEqualTo(257));
  }

  @Test
  void parseMetricSelector_deepParens_isAParseError() {
    String q = "(".repeat(20_000) + "up" + ")".repeat(20_000);
    assertThatThrownBy(() -> Parser.parseMetricSelector(q))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("expression nested too deeply");
  }

  @Test
  void parse_overMaxLength_isRefusedBeforeLexing() {
    String q = "up" + " ".repeat(Parser.MAX_LENGTH);
    assertThatThrownBy(() -> Parser.parse(q))
        .isInstanceOf(ParseException.class)
        .hasMessage("1:1: parse error: expression too long: 65538 characters (limit: 65536)");
    assertThat(Parser.parse("up" + " ".repeat(Parser.MAX_LENGTH - 2))).isNotNull();
  }
}
