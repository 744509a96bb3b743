package dev.sextant.query.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.query.promql.parser.Expr.Aggregate;
import dev.sextant.query.promql.parser.Expr.At;
import dev.sextant.query.promql.parser.Expr.Binary;
import dev.sextant.query.promql.parser.Expr.MatrixSelector;
import dev.sextant.query.promql.parser.Expr.NumberLiteral;
import dev.sextant.query.promql.parser.Expr.StringLiteral;
import dev.sextant.query.promql.parser.Expr.Subquery;
import dev.sextant.query.promql.parser.Expr.Unary;
import dev.sextant.query.promql.parser.Expr.VectorMatching.Cardinality;
import dev.sextant.query.promql.parser.Expr.VectorSelector;
import dev.sextant.storage.metrics.LabelMatcher;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ParserTest {
  private static Expr parse(String q) {
    return Parser.parse(q);
  }

  private static String print(String q) {
    return Printer.print(parse(q));
  }

  @Test
  void parse_powIsRightAssociativeAndBindsTighterThanUnaryMinus() {
    assertThat(print("2 ^ 3 ^ 2")).isEqualTo("2 ^ 3 ^ 2");
    Binary b = (Binary) parse("2 ^ 3 ^ 2");
    assertThat(b.rhs()).isInstanceOf(Binary.class);
    Unary u = (Unary) parse("-a ^ 2");
    assertThat(u.expr()).isInstanceOf(Binary.class);
    Binary mul = (Binary) parse("-a * b");
    assertThat(mul.op()).isEqualTo(BinOp.MUL);
    assertThat(mul.lhs()).isInstanceOf(Unary.class);
  }

  @Test
  void parse_precedenceLevels() {
    Binary or = (Binary) parse("a or b and c unless d == e + f * g");
    assertThat(or.op()).isEqualTo(BinOp.OR);
    Binary and = (Binary) or.rhs();
    assertThat(and.op()).isEqualTo(BinOp.UNLESS);
    assertThat(((Binary) and.lhs()).op()).isEqualTo(BinOp.AND);
    Binary sub = (Binary) parse("a - b - c");
    assertThat(sub.lhs()).isInstanceOf(Binary.class);
    Binary atan = (Binary) parse("a + b atan2 c");
    assertThat(((Binary) atan.rhs()).op()).isEqualTo(BinOp.ATAN2);
  }

  @Test
  void parse_unaryMinusOnNumberFolds() {
    assertThat(parse("-1")).isEqualTo(new NumberLiteral(-1, Pos.NONE));
    assertThat(parse("1 - -1")).isInstanceOf(Binary.class);
  }

  @Test
  void parse_numbers() {
    assertThat(((NumberLiteral) parse("0x1F")).value()).isEqualTo(31);
    assertThat(((NumberLiteral) parse("1e3")).value()).isEqualTo(1000);
    assertThat(((NumberLiteral) parse(".5")).value()).isEqualTo(0.5);
    assertThat(((NumberLiteral) parse("2.")).value()).isEqualTo(2);
    assertThat(((NumberLiteral) parse("1_000")).value()).isEqualTo(1000);
    assertThat(((NumberLiteral) parse("Inf")).value()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(((NumberLiteral) parse("-inf")).value()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(((NumberLiteral) parse("NaN")).value()).isNaN();
    assertThat(((NumberLiteral) parse("1h30m")).value()).isEqualTo(5400);
  }

  @Test
  void parse_strings() {
    assertThat(((StringLiteral) parse("\"a\\n\\\"b\\x41\\u00e9\"")).value()).isEqualTo("a\n\"bAé");
    assertThat(((StringLiteral) parse("'it\\'s'")).value()).isEqualTo("it's");
    assertThat(((StringLiteral) parse("`raw\\n`")).value()).isEqualTo("raw\\n");
  }

  @Test
  void parse_selectorsAndModifiers() {
    VectorSelector vs = (VectorSelector) parse(
        "foo{a=\"1\", b!=\"2\", c=~\"3.*\", d!~'4', \"e.f\"=\"5\",} offset -5m @ start()");
    assertThat(vs.name()).isEqualTo("foo");
    assertThat(vs.matchers()).containsExactly(LabelMatcher.eq("a", "1"),
        LabelMatcher.neq("b", "2"), LabelMatcher.re("c", "3.*"), LabelMatcher.nre("d", "4"),
        LabelMatcher.eq("e.f", "5"));
    assertThat(vs.offsetMs()).isEqualTo(-300_000);
    assertThat(vs.at().kind()).isEqualTo(At.Kind.START);
    VectorSelector quoted = (VectorSelector) parse("{\"my.metric\", x=\"y\"}");
    assertThat(quoted.name()).isEqualTo("my.metric");
    MatrixSelector ms = (MatrixSelector) parse("foo[5m] @ 100.5 offset 1m");
    assertThat(ms.rangeMs()).isEqualTo(300_000);
    assertThat(ms.selector().at()).isEqualTo(new At(At.Kind.TIME, 100_500));
    assertThat(((MatrixSelector) parse("foo[600]")).rangeMs()).isEqualTo(600_000);
    Subquery sq = (Subquery) parse("rate(foo[5m])[1h:1m] offset 10m");
    assertThat(sq.rangeMs()).isEqualTo(3_600_000);
    assertThat(sq.stepMs()).isEqualTo(60_000);
    assertThat(sq.offsetMs()).isEqualTo(600_000);
    assertThat(((Subquery) parse("foo[5m:]")).stepMs()).isZero();
  }

  @Test
  void parse_aggregationsGroupingBeforeOrAfter() {
    Aggregate a = (Aggregate) parse("sum by (job) (x)");
    Aggregate b = (Aggregate) parse("sum(x) by (job)");
    assertThat(a).isEqualTo(b);
    Aggregate topk = (Aggregate) parse("topk without (i) (3, x)");
    assertThat(topk.without()).isTrue();
    assertThat(topk.param()).isEqualTo(new NumberLiteral(3, Pos.NONE));
    assertThat(((Aggregate) parse("count_values(\"v\", x)")).op()).isEqualTo(AggOp.COUNT_VALUES);
    assertThat(((Aggregate) parse("limit_ratio(0.5, x)")).op()).isEqualTo(AggOp.LIMIT_RATIO);
  }

  @Test
  void parse_vectorMatching() {
    Binary b = (Binary) parse("a * on(job) group_left(instance) b");
    assertThat(b.matching().card()).isEqualTo(Cardinality.MANY_TO_ONE);
    assertThat(b.matching().on()).isTrue();
    assertThat(b.matching().labels()).containsExactly("job");
    assertThat(b.matching().include()).containsExactly("instance");
    Binary c = (Binary) parse("a > bool ignoring(x) group_right b");
    assertThat(c.returnBool()).isTrue();
    assertThat(c.matching().card()).isEqualTo(Cardinality.ONE_TO_MANY);
    assertThat(((Binary) parse("a and b")).matching().card()).isEqualTo(Cardinality.MANY_TO_MANY);
  }

  @Test
  void parse_commentsAreIgnored() {
    assertThat(parse("sum(x) # total\n + 1")).isEqualTo(parse("sum(x) + 1"));
  }

  @Test
  void parse_errorsNamePositionAndExpectation() {
    assertThatThrownBy(() -> parse("sum(x"))
        .isInstanceOf(ParseException.class).hasMessageContaining("1:6").hasMessageContaining(
            "expected \",\" or \")\"");
    assertThatThrownBy(() -> parse("foo{a=1}")).hasMessageContaining("1:7")
        .hasMessageContaining("expected string");
    assertThatThrownBy(() -> parse("rate(foo)")).hasMessageContaining(
        "expected type range vector in call to function \"rate\", got instant vector");
    assertThatThrownBy(() -> parse("1 > 2")).hasMessageContaining("BOOL");
    assertThatThrownBy(() -> parse("{}")).hasMessageContaining("non-empty matcher");
    assertThatThrownBy(() -> parse("nope(x)")).hasMessageContaining("unknown function");
    assertThatThrownBy(() -> parse("sum(x) offset 5m")).hasMessageContaining("offset");
    assertThatThrownBy(() -> parse("a\n  + ")).hasMessageContaining("2:5");
    assertThatThrownBy(() -> parse("1 and 2")).hasMessageContaining("set operator");
    assertThatThrownBy(() -> parse("(foo)[5m]")).hasMessageContaining("vector selectors");
  }

  @Test
  void print_roundTripsEveryQueryInTheConformanceScripts() throws IOException,
      URISyntaxException {
    Path dir = Paths.get(ParserTest.class.getResource("/promql").toURI());
    Pattern eval = Pattern.compile(
        "^eval(?:_fail)? (?:instant at \\S+|range from \\S+ to \\S+ step \\S+) (.+)$");
    List<String> queries = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".test")).toList()) {
        for (String line : Files.readAllLines(p)) {
          Matcher m = eval.matcher(line.strip());
          if (m.matches()) {
            queries.add(m.group(1));
          }
        }
      }
    }
    int parsed = 0;
    for (String q : queries) {
      Expr e;
      try {
        e = parse(q);
      } catch (ParseException ex) {
        continue;
      }
      parsed++;
      String printed = Printer.print(e);
      assertThat(parse(printed)).as(q + " -> " + printed).isEqualTo(e);
    }
    assertThat(parsed).isGreaterThan(1000);
  }
}
