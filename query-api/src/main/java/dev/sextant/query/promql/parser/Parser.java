package dev.sextant.query.promql.parser;

import dev.sextant.query.Durations;
import dev.sextant.query.promql.parser.Expr.Aggregate;
import dev.sextant.query.promql.parser.Expr.At;
import dev.sextant.query.promql.parser.Expr.Binary;
import dev.sextant.query.promql.parser.Expr.Call;
import dev.sextant.query.promql.parser.Expr.MatrixSelector;
import dev.sextant.query.promql.parser.Expr.NumberLiteral;
import dev.sextant.query.promql.parser.Expr.Paren;
import dev.sextant.query.promql.parser.Expr.StringLiteral;
import dev.sextant.query.promql.parser.Expr.Subquery;
import dev.sextant.query.promql.parser.Expr.Unary;
import dev.sextant.query.promql.parser.Expr.VectorMatching.Cardinality;
import dev.sextant.query.promql.parser.Expr.VectorMatching;
import dev.sextant.query.promql.parser.Expr.VectorSelector;
import dev.sextant.query.promql.parser.Token.Kind;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Recursive-descent (precedence climbing) PromQL parser producing a type-checked {@link Expr}.
 * Thread-safe: every call works on its own state.
 */
public final class Parser {
  /**
   * Deepest expression nesting accepted (parentheses, calls, aggregations, unary operators, and
   * each link of an operator chain such as {@code a + b + c}). Prometheus has no limit (Go's
   * stacks grow); ours do not, and the type checker, printer and evaluator all recurse over the
   * tree, so a bounded tree is what keeps every walk off a {@link StackOverflowError}.
   */
  public static final int MAX_DEPTH = 256;
  /** Longest expression text accepted, in characters (64 KiB). */
  public static final int MAX_LENGTH = 64 * 1024;

  private final String input;
  private final List<Token> tokens;
  private int p;
  /** Current recursion depth of {@link #expr}. */
  private int depth;
  /** Height of the tree the last parse method returned (a leaf is 1). */
  private int height;

  private Parser(String input) {
    if (input.length() > MAX_LENGTH) {
      throw new ParseException("", 0, "expression too long: " + input.length()
          + " characters (limit: " + MAX_LENGTH + ")");
    }
    this.input = input;
    this.tokens = Lexer.lex(input);
  }

  /**
   * Parses and type-checks a PromQL expression.
   *
   * @throws ParseException naming the position and what was expected
   */
  public static Expr parse(String input) {
    Parser parser = new Parser(input);
    if (parser.peek().is(Kind.EOF)) {
      throw parser.error(parser.peek(), "no expression found in input");
    }
    Expr e = parser.expr(0);
    parser.expectEof();
    TypeChecker.check(input, e);
    return e;
  }

  /** Parses a series selector such as {@code up{job="x"}} (used by the series and label APIs). */
  public static List<LabelMatcher> parseMetricSelector(String input) {
    Parser parser = new Parser(input);
    Token t = parser.peek();
    Expr e = parser.primary();
    parser.expectEof();
    if (!(e instanceof VectorSelector vs) || vs.offsetMs() != 0 || vs.at() != null) {
      throw parser.error(t, "expected a series selector");
    }
    return vs.allMatchers();
  }

  // ---- token helpers

  private Token peek() {
    return tokens.get(p);
  }

  private Token peek(int ahead) {
    return tokens.get(Math.min(p + ahead, tokens.size() - 1));
  }

  private Token next() {
    Token t = tokens.get(p);
    if (!t.is(Kind.EOF)) {
      p++;
    }
    return t;
  }

  private int lastEnd() {
    Token t = tokens.get(Math.max(0, p - 1));
    return t.pos() + t.text().length();
  }

  private Token expect(Kind k, String what, String context) {
    Token t = peek();
    if (!t.is(k)) {
      throw error(t, "unexpected " + t.describe() + " in " + context + ", expected " + what);
    }
    return next();
  }

  private void expectEof() {
    Token t = peek();
    if (!t.is(Kind.EOF)) {
      throw error(t, "unexpected " + t.describe() + ", expected end of input or an operator");
    }
  }

  ParseException error(Token t, String msg) {
    return new ParseException(input, t.pos(), msg);
  }

  // ---- expressions

  /** One more level of parser recursion at token {@code t}; refused past {@link #MAX_DEPTH}. */
  private void descend(Token t) {
    if (++depth > MAX_DEPTH) {
      throw tooDeep(t);
    }
  }

  /**
   * The tree just built at token {@code t} is {@code h} high; refused past {@link #MAX_DEPTH}.
   * Recursion depth alone does not bound the tree: {@code a + b + c} is parsed in a loop but
   * builds a left-leaning tree as deep as the chain is long.
   */
  private void height(Token t, int h) {
    if (h > MAX_DEPTH) {
      throw tooDeep(t);
    }
    height = h;
  }

  private ParseException tooDeep(Token t) {
    return error(t, "expression nested too deeply (limit: " + MAX_DEPTH + " levels)");
  }

  private Expr expr(int minPrec) {
    int saved = depth;
    descend(peek());
    try {
      return exprChain(minPrec);
    } finally {
      depth = saved;
    }
  }

  private Expr exprChain(int minPrec) {
    Expr lhs = unary();
    int lhsHeight = height;
    while (true) {
      Token t = peek();
      BinOp op = binOp(t);
      if (op == null || op.precedence() < minPrec) {
        return lhs;
      }
      next();
      boolean returnBool = false;
      if (peek().isWord("bool")) {
        next();
        returnBool = true;
      }
      VectorMatching matching = matchingModifiers(op);
      Expr rhs = expr(op.rightAssociative() ? op.precedence() : op.precedence() + 1);
      height(t, Math.max(lhsHeight, height) + 1);
      lhsHeight = height;
      lhs = binary(t, op, lhs, rhs, matching, returnBool);
      height = lhsHeight;
    }
  }

  private Expr binary(Token opTok, BinOp op, Expr lhs, Expr rhs, VectorMatching matching,
      boolean returnBool) {
    boolean vectors = lhs.type() == ValueType.VECTOR && rhs.type() == ValueType.VECTOR;
    if (matching != null && !vectors) {
      throw error(opTok, "vector matching only allowed between instant vectors");
    }
    if (matching == null && vectors) {
      matching = new VectorMatching(op.isSetOperator() ? Cardinality.MANY_TO_MANY
          : Cardinality.ONE_TO_ONE, List.of(), false, List.of());
    }
    if (matching != null && op.isSetOperator()) {
      if (matching.card() == Cardinality.MANY_TO_ONE || matching.card() == Cardinality.ONE_TO_MANY) {
        throw error(opTok, "no grouping allowed for \"" + op.symbol() + "\" operation");
      }
      matching = new VectorMatching(Cardinality.MANY_TO_MANY, matching.labels(), matching.on(),
          matching.include());
    }
    return new Binary(op, lhs, rhs, matching, returnBool, new Pos(lhs.pos().start(), lastEnd()));
  }

  private static BinOp binOp(Token t) {
    return switch (t.kind()) {
      case ADD -> BinOp.ADD;
      case SUB -> BinOp.SUB;
      case MUL -> BinOp.MUL;
      case DIV -> BinOp.DIV;
      case MOD -> BinOp.MOD;
      case POW -> BinOp.POW;
      case EQLC -> BinOp.EQLC;
      case NEQ -> BinOp.NEQ;
      case LSS -> BinOp.LSS;
      case LTE -> BinOp.LTE;
      case GTR -> BinOp.GTR;
      case GTE -> BinOp.GTE;
      case IDENT -> {
        String w = t.text().toLowerCase(Locale.ROOT);
        yield switch (w) {
          case "and" -> BinOp.AND;
          case "or" -> BinOp.OR;
          case "unless" -> BinOp.UNLESS;
          case "atan2" -> BinOp.ATAN2;
          default -> null;
        };
      }
      default -> null;
    };
  }

  private VectorMatching matchingModifiers(BinOp op) {
    Token t = peek();
    if (!t.isWord("on") && !t.isWord("ignoring")) {
      return null;
    }
    next();
    boolean on = t.isWord("on");
    List<String> labels = labelList(t.text().toLowerCase(Locale.ROOT));
    Cardinality card = op.isSetOperator() ? Cardinality.MANY_TO_MANY : Cardinality.ONE_TO_ONE;
    List<String> include = List.of();
    Token g = peek();
    if (g.isWord("group_left") || g.isWord("group_right")) {
      next();
      card = g.isWord("group_left") ? Cardinality.MANY_TO_ONE : Cardinality.ONE_TO_MANY;
      if (peek().is(Kind.LPAREN)) {
        include = labelList(g.text().toLowerCase(Locale.ROOT));
      }
      if (op.isSetOperator()) {
        throw error(g, "no grouping allowed for \"" + op.symbol() + "\" operation");
      }
      for (String l : include) {
        if (on && labels.contains(l)) {
          throw error(g, "label \"" + l + "\" must not occur in ON and GROUP clause at once");
        }
      }
    }
    return new VectorMatching(card, labels, on, include);
  }

  private List<String> labelList(String context) {
    expect(Kind.LPAREN, "\"(\"", context + " clause");
    List<String> labels = new ArrayList<>();
    while (!peek().is(Kind.RPAREN)) {
      Token t = next();
      if (t.is(Kind.IDENT)) {
        labels.add(t.text());
      } else if (t.is(Kind.STRING)) {
        labels.add(Lexer.unquote(input, t));
      } else {
        throw error(t, "unexpected " + t.describe() + " in grouping opts, expected label");
      }
      if (peek().is(Kind.COMMA)) {
        next();
      } else if (!peek().is(Kind.RPAREN)) {
        throw error(peek(), "unexpected " + peek().describe()
            + " in grouping opts, expected \",\" or \")\"");
      }
    }
    next();
    return labels;
  }

  private Expr unary() {
    Token t = peek();
    if (t.is(Kind.SUB) || t.is(Kind.ADD)) {
      next();
      Expr operand = expr(BinOp.UNARY_PRECEDENCE + 1);
      Pos pos = new Pos(t.pos(), lastEnd());
      if (operand instanceof NumberLiteral n) {
        height = 1;
        return new NumberLiteral(t.is(Kind.SUB) ? -n.value() : n.value(), pos);
      }
      height(t, height + 1);
      if (operand.type() != ValueType.SCALAR && operand.type() != ValueType.VECTOR) {
        throw error(t, "unary expression only allowed on expressions of type scalar or instant "
            + "vector, got \"" + operand.type().description() + "\"");
      }
      return new Unary(t.is(Kind.SUB), operand, pos);
    }
    return postfix(primary());
  }

  private Expr postfix(Expr e) {
    while (true) {
      Token t = peek();
      if (t.is(Kind.LBRACKET) || t.isWord("offset") || t.is(Kind.AT)) {
        height(t, height + 1); // a range, subquery or modifier may wrap e in a new node
      }
      if (t.is(Kind.LBRACKET)) {
        e = rangeOrSubquery(e);
      } else if (t.isWord("offset")) {
        next();
        boolean neg = false;
        if (peek().is(Kind.SUB) || peek().is(Kind.ADD)) {
          neg = next().is(Kind.SUB);
        }
        long d = duration("offset");
        e = withOffset(t, e, neg ? -d : d);
      } else if (t.is(Kind.AT)) {
        next();
        e = withAt(t, e, atValue());
      } else {
        return e;
      }
    }
  }

  private At atValue() {
    Token t = peek();
    if ((t.isWord("start") || t.isWord("end")) && peek(1).is(Kind.LPAREN)) {
      next();
      next();
      expect(Kind.RPAREN, "\")\"", "@ modifier");
      return new At(t.isWord("start") ? At.Kind.START : At.Kind.END, 0);
    }
    boolean neg = false;
    if (t.is(Kind.SUB) || t.is(Kind.ADD)) {
      neg = next().is(Kind.SUB);
    }
    Token n = next();
    double v;
    if (n.is(Kind.NUMBER)) {
      v = number(n);
    } else if (n.is(Kind.DURATION)) {
      v = durationLiteral(n, "@") / 1000.0;
    } else {
      throw error(n, "unexpected " + n.describe() + " in @, expected timestamp");
    }
    if (neg) {
      v = -v;
    }
    if (Double.isNaN(v) || Double.isInfinite(v) || Math.abs(v) > 9.2e15) {
      throw error(n, "timestamp out of bounds for @ modifier: " + v);
    }
    return new At(At.Kind.TIME, Math.round(v * 1000));
  }

  private Expr withOffset(Token t, Expr e, long offset) {
    if (e instanceof VectorSelector vs) {
      if (vs.offsetMs() != 0) {
        throw error(t, "offset may not be set multiple times");
      }
      return vs.withModifiers(offset, vs.at());
    }
    if (e instanceof MatrixSelector ms) {
      if (ms.selector().offsetMs() != 0) {
        throw error(t, "offset may not be set multiple times");
      }
      return new MatrixSelector(ms.selector().withModifiers(offset, ms.selector().at()),
          ms.rangeMs(), ms.pos());
    }
    if (e instanceof Subquery sq) {
      if (sq.offsetMs() != 0) {
        throw error(t, "offset may not be set multiple times");
      }
      return new Subquery(sq.expr(), sq.rangeMs(), sq.stepMs(), offset, sq.at(), sq.pos());
    }
    throw error(t, "offset modifier must be preceded by an instant vector selector or range "
        + "vector selector or a subquery");
  }

  private Expr withAt(Token t, Expr e, At at) {
    if (e instanceof VectorSelector vs) {
      if (vs.at() != null) {
        throw error(t, "@ <timestamp> may not be set multiple times");
      }
      return vs.withModifiers(vs.offsetMs(), at);
    }
    if (e instanceof MatrixSelector ms) {
      if (ms.selector().at() != null) {
        throw error(t, "@ <timestamp> may not be set multiple times");
      }
      return new MatrixSelector(ms.selector().withModifiers(ms.selector().offsetMs(), at),
          ms.rangeMs(), ms.pos());
    }
    if (e instanceof Subquery sq) {
      if (sq.at() != null) {
        throw error(t, "@ <timestamp> may not be set multiple times");
      }
      return new Subquery(sq.expr(), sq.rangeMs(), sq.stepMs(), sq.offsetMs(), at, sq.pos());
    }
    throw error(t, "@ modifier must be preceded by an instant vector selector or range vector "
        + "selector or a subquery");
  }

  private Expr rangeOrSubquery(Expr e) {
    Token open = next();
    long range = duration("range");
    if (peek().is(Kind.COLON)) {
      next();
      long step = 0;
      if (!peek().is(Kind.RBRACKET)) {
        step = duration("subquery step");
      }
      expect(Kind.RBRACKET, "\"]\"", "subquery selector");
      if (e.type() != ValueType.VECTOR) {
        throw error(open, "subquery is only allowed on instant vector, got "
            + e.type().description() + " instead");
      }
      return new Subquery(e, range, step, 0, null, new Pos(e.pos().start(), lastEnd()));
    }
    expect(Kind.RBRACKET, "\"]\" or \":\"", "range selector");
    if (!(e instanceof VectorSelector vs)) {
      throw error(open, "ranges only allowed for vector selectors");
    }
    if (vs.offsetMs() != 0 || vs.at() != null) {
      throw error(open, "no offset or @ modifiers allowed before range");
    }
    return new MatrixSelector(vs, range, new Pos(e.pos().start(), lastEnd()));
  }

  private long durationLiteral(Token t, String context) {
    if (!Durations.isValid(t.text())) {
      throw error(t, "bad duration \"" + t.text() + "\" in " + context);
    }
    return Durations.parseMillis(t.text());
  }

  /** A duration token, or a number of seconds (Prometheus 3 accepts both). */
  private long duration(String context) {
    Token t = next();
    if (t.is(Kind.DURATION)) {
      return durationLiteral(t, context);
    }
    if (t.is(Kind.NUMBER)) {
      double v = number(t);
      if (Double.isNaN(v) || Double.isInfinite(v) || Math.abs(v) > 9.2e15) {
        throw error(t, "invalid duration " + t.text() + " in " + context);
      }
      return Math.round(v * 1000);
    }
    throw error(t, "unexpected " + t.describe() + " in " + context + ", expected duration");
  }

  private double number(Token t) {
    String s = t.text().replace("_", "");
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.equals("inf")) {
      return Double.POSITIVE_INFINITY;
    }
    if (lower.equals("nan")) {
      return Double.NaN;
    }
    try {
      if (lower.startsWith("0x")) {
        return Long.parseUnsignedLong(s.substring(2), 16);
      }
      if (s.length() > 1 && s.charAt(0) == '0' && s.chars().allMatch(Character::isDigit)) {
        // Go's ParseFloat would read this as decimal; ParseInt(…, 0, 64) as octal. Prometheus
        // tries integers first, so a leading zero means octal.
        return Long.parseLong(s, 8);
      }
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      try {
        return Double.parseDouble(s);
      } catch (NumberFormatException e2) {
        throw error(t, "bad number \"" + t.text() + "\"");
      }
    }
  }

  private Expr primary() {
    Token t = peek();
    switch (t.kind()) {
      case NUMBER -> {
        next();
        height = 1;
        return new NumberLiteral(number(t), new Pos(t.pos(), lastEnd()));
      }
      case DURATION -> {
        next();
        height = 1;
        return new NumberLiteral(durationLiteral(t, "number literal") / 1000.0,
            new Pos(t.pos(), lastEnd()));
      }
      case STRING -> {
        next();
        height = 1;
        return new StringLiteral(Lexer.unquote(input, t), new Pos(t.pos(), lastEnd()));
      }
      case LPAREN -> {
        next();
        Expr inner = expr(0);
        height(t, height + 1);
        expect(Kind.RPAREN, "\")\"", "paren expression");
        return new Paren(inner, new Pos(t.pos(), lastEnd()));
      }
      case LBRACE -> {
        height = 1;
        return selector(null, t);
      }
      case IDENT -> {
        return identifier(t);
      }
      default -> throw error(t, "unexpected " + t.describe() + ", expected expression");
    }
  }

  private Expr identifier(Token t) {
    AggOp agg = AggOp.byKeyword(t.text());
    Token after = peek(1);
    if (agg != null && (after.is(Kind.LPAREN) || after.isWord("by") || after.isWord("without"))) {
      return aggregate(agg);
    }
    if (after.is(Kind.LPAREN)) {
      next();
      FunctionSignature f = Functions.get(t.text());
      if (f == null) {
        throw error(t, "unknown function with name \"" + t.text() + "\"");
      }
      return call(t, f);
    }
    String w = t.text().toLowerCase(Locale.ROOT);
    if (binOp(t) != null || w.equals("bool") || w.equals("offset") || w.equals("by")
        || w.equals("without") || w.equals("on") || w.equals("ignoring")
        || w.equals("group_left") || w.equals("group_right")) {
      throw error(t, "unexpected " + t.describe() + ", expected expression");
    }
    next();
    height = 1;
    return selector(t.text(), t);
  }

  private Expr call(Token nameTok, FunctionSignature f) {
    expect(Kind.LPAREN, "\"(\"", "function call");
    List<Expr> args = new ArrayList<>();
    int argsHeight = 0;
    while (!peek().is(Kind.RPAREN)) {
      args.add(expr(0));
      argsHeight = Math.max(argsHeight, height);
      if (peek().is(Kind.COMMA)) {
        next();
      } else if (!peek().is(Kind.RPAREN)) {
        throw error(peek(), "unexpected " + peek().describe()
            + " in function call, expected \",\" or \")\"");
      }
    }
    height(nameTok, argsHeight + 1);
    next();
    return new Call(f, args, new Pos(nameTok.pos(), lastEnd()));
  }

  private Expr aggregate(AggOp op) {
    Token opTok = next();
    List<String> grouping = List.of();
    boolean without = false;
    boolean hasGrouping = false;
    if (peek().isWord("by") || peek().isWord("without")) {
      without = next().isWord("without");
      grouping = labelList(without ? "without" : "by");
      hasGrouping = true;
    }
    Token open = expect(Kind.LPAREN, "\"(\"", "aggregation");
    List<Expr> args = new ArrayList<>();
    int argsHeight = 0;
    while (!peek().is(Kind.RPAREN)) {
      args.add(expr(0));
      argsHeight = Math.max(argsHeight, height);
      if (peek().is(Kind.COMMA)) {
        next();
      } else if (!peek().is(Kind.RPAREN)) {
        throw error(peek(), "unexpected " + peek().describe()
            + " in aggregation, expected \",\" or \")\"");
      }
    }
    next();
    if (peek().isWord("by") || peek().isWord("without")) {
      if (hasGrouping) {
        throw error(peek(), "unexpected " + peek().describe()
            + ", aggregation grouping may only be given once");
      }
      without = next().isWord("without");
      grouping = labelList(without ? "without" : "by");
    }
    int want = op.paramType() == null ? 1 : 2;
    if (args.size() != want) {
      throw error(open, "wrong number of arguments for aggregate expression provided, expected "
          + want + ", got " + args.size());
    }
    height(opTok, argsHeight + 1);
    Expr param = want == 2 ? args.get(0) : null;
    Expr body = args.get(want - 1);
    return new Aggregate(op, body, param, grouping, without, new Pos(opTok.pos(), lastEnd()));
  }

  private Expr selector(String name, Token start) {
    List<LabelMatcher> matchers = new ArrayList<>();
    String metric = name == null ? "" : name;
    if (peek().is(Kind.LBRACE)) {
      next();
      while (!peek().is(Kind.RBRACE)) {
        Token l = next();
        String label;
        if (l.is(Kind.IDENT)) {
          label = l.text();
        } else if (l.is(Kind.STRING)) {
          label = Lexer.unquote(input, l);
          if (peek().is(Kind.COMMA) || peek().is(Kind.RBRACE)) {
            // {"metric.name"}: a quoted metric name.
            if (!metric.isEmpty()) {
              throw error(l, "metric name must not be set twice: \"" + metric + "\" or \""
                  + label + "\"");
            }
            metric = label;
            if (peek().is(Kind.COMMA)) {
              next();
            }
            continue;
          }
        } else {
          throw error(l, "unexpected " + l.describe() + " in label matching, expected label");
        }
        Token op = next();
        LabelMatcher.Type type = switch (op.kind()) {
          case ASSIGN -> LabelMatcher.Type.EQ;
          case NEQ -> LabelMatcher.Type.NEQ;
          case EQL_REGEX -> LabelMatcher.Type.RE;
          case NEQ_REGEX -> LabelMatcher.Type.NRE;
          default -> throw error(op, "unexpected " + op.describe()
              + " in label matching, expected one of \"=\", \"!=\", \"=~\" or \"!~\"");
        };
        Token v = next();
        if (!v.is(Kind.STRING)) {
          throw error(v, "unexpected " + v.describe() + " in label matching, expected string");
        }
        try {
          matchers.add(LabelMatcher.of(type, label, Lexer.unquote(input, v)));
        } catch (IllegalArgumentException e) {
          throw error(v, e.getMessage());
        }
        if (peek().is(Kind.COMMA)) {
          next();
        } else if (!peek().is(Kind.RBRACE)) {
          throw error(peek(), "unexpected " + peek().describe()
              + " in label matching, expected \",\" or \"}\"");
        }
      }
      next();
    }
    if (!metric.isEmpty()) {
      for (LabelMatcher m : matchers) {
        if (m.name().equals(Labels.NAME)) {
          throw error(start, "metric name must not be set twice: \"" + metric + "\" or \""
              + m.value() + "\"");
        }
      }
    } else if (matchers.stream().allMatch(LabelMatcher::matchesEmpty)) {
      throw error(start, "vector selector must contain at least one non-empty matcher");
    }
    return new VectorSelector(metric, matchers, 0, null, new Pos(start.pos(), lastEnd()));
  }
}
