package dev.sextant.query.promql;

import dev.sextant.query.promql.parser.Expr;
import java.util.List;

/** Collects the selectors of an expression (used to spot native-histogram queries). */
final class ExprWalker {
  private ExprWalker() {}

  /** Whether {@code e} calls one of the functions whose value depends on the query range. */
  static boolean usesQueryRangeFunctions(Expr e) {
    if (e instanceof Expr.Call c) {
      if (List.of("step", "range", "start", "end").contains(c.func().name())) {
        return true;
      }
      return c.args().stream().anyMatch(ExprWalker::usesQueryRangeFunctions);
    } else if (e instanceof Expr.Subquery sq) {
      return usesQueryRangeFunctions(sq.expr());
    } else if (e instanceof Expr.Paren p) {
      return usesQueryRangeFunctions(p.expr());
    } else if (e instanceof Expr.Unary u) {
      return usesQueryRangeFunctions(u.expr());
    } else if (e instanceof Expr.Binary b) {
      return usesQueryRangeFunctions(b.lhs()) || usesQueryRangeFunctions(b.rhs());
    } else if (e instanceof Expr.Aggregate a) {
      return (a.param() != null && usesQueryRangeFunctions(a.param()))
          || usesQueryRangeFunctions(a.expr());
    }
    return false;
  }

  static void selectors(Expr e, List<Expr.VectorSelector> out) {
    if (e instanceof Expr.VectorSelector vs) {
      out.add(vs);
    } else if (e instanceof Expr.MatrixSelector ms) {
      out.add(ms.selector());
    } else if (e instanceof Expr.Subquery sq) {
      selectors(sq.expr(), out);
    } else if (e instanceof Expr.Paren p) {
      selectors(p.expr(), out);
    } else if (e instanceof Expr.Unary u) {
      selectors(u.expr(), out);
    } else if (e instanceof Expr.Binary b) {
      selectors(b.lhs(), out);
      selectors(b.rhs(), out);
    } else if (e instanceof Expr.Aggregate a) {
      if (a.param() != null) {
        selectors(a.param(), out);
      }
      selectors(a.expr(), out);
    } else if (e instanceof Expr.Call c) {
      for (Expr arg : c.args()) {
        selectors(arg, out);
      }
    }
  }
}
