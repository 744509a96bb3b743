package dev.sextant.query.promql.parser;

import dev.sextant.query.promql.parser.Expr.Aggregate;
import dev.sextant.query.promql.parser.Expr.Binary;
import dev.sextant.query.promql.parser.Expr.Call;
import dev.sextant.query.promql.parser.Expr.Paren;
import dev.sextant.query.promql.parser.Expr.Subquery;
import dev.sextant.query.promql.parser.Expr.Unary;

/** Prometheus's checkAST: operand, argument and parameter types. */
final class TypeChecker {
  private final String input;

  private TypeChecker(String input) {
    this.input = input;
  }

  static void check(String input, Expr e) {
    new TypeChecker(input).visit(e);
  }

  private ParseException error(Expr at, String msg) {
    return new ParseException(input, at.pos().start(), msg);
  }

  private void expectType(Expr e, ValueType want, String context) {
    if (e.type() != want) {
      throw error(e, "expected type " + want.description() + " in " + context + ", got "
          + e.type().description());
    }
  }

  private void visit(Expr e) {
    if (e instanceof Paren p) {
      visit(p.expr());
    } else if (e instanceof Unary u) {
      visit(u.expr());
    } else if (e instanceof Subquery sq) {
      visit(sq.expr());
    } else if (e instanceof Aggregate a) {
      expectType(a.expr(), ValueType.VECTOR, "aggregation expression");
      if (a.param() != null) {
        expectType(a.param(), a.op().paramType(), "aggregation parameter");
        visit(a.param());
      }
      visit(a.expr());
    } else if (e instanceof Call c) {
      checkCall(c);
    } else if (e instanceof Binary b) {
      checkBinary(b);
    }
  }

  private void checkCall(Call c) {
    FunctionSignature f = c.func();
    int n = c.args().size();
    if (n < f.minArgs() || (f.variadic() >= 0 && n > f.argTypes().size())) {
      String want = f.variadic() == 0 ? String.valueOf(f.argTypes().size())
          : n < f.minArgs() ? "at least " + f.minArgs() : "at most " + f.argTypes().size();
      throw error(c, "expected " + want + " argument(s) in call to \"" + f.name() + "\", got "
          + n);
    }
    for (int i = 0; i < n; i++) {
      Expr arg = c.args().get(i);
      expectType(arg, f.argType(i), "call to function \"" + f.name() + "\"");
      visit(arg);
    }
  }

  private void checkBinary(Binary b) {
    visit(b.lhs());
    visit(b.rhs());
    ValueType l = b.lhs().type();
    ValueType r = b.rhs().type();
    if ((l != ValueType.SCALAR && l != ValueType.VECTOR)
        || (r != ValueType.SCALAR && r != ValueType.VECTOR)) {
      throw error(b, "binary expression must contain only scalar and instant vector types");
    }
    if (b.returnBool() && !b.op().isComparison()) {
      throw error(b, "bool modifier can only be used on comparisons");
    }
    if (b.op().isComparison() && !b.returnBool() && l == ValueType.SCALAR
        && r == ValueType.SCALAR) {
      throw error(b, "comparisons between scalars must use BOOL modifier");
    }
    if (b.op().isSetOperator() && (l == ValueType.SCALAR || r == ValueType.SCALAR)) {
      throw error(b, "set operator \"" + b.op().symbol()
          + "\" not allowed in binary scalar expression");
    }
  }
}
