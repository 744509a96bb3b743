package dev.sextant.query.promql;

import dev.sextant.query.promql.parser.Expr;
import dev.sextant.query.promql.parser.Expr.At;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * promqltest's step-invariance check: pins every selector and subquery without {@code @} to the
 * eval time (subquery bodies are left alone once the subquery is pinned).
 */
final class AtRewriter {
  /** Functions whose result varies with evaluation time even for pinned arguments. */
  static final Set<String> UNSAFE = Set.of("days_in_month", "day_of_month", "day_of_week",
      "day_of_year", "hour", "minute", "month", "year", "predict_linear", "time", "timestamp",
      "step", "range", "start", "end");

  private AtRewriter() {}

  static boolean unsafe(Expr e) {
    if (e instanceof Expr.Call c) {
      return UNSAFE.contains(c.func().name()) || c.args().stream().anyMatch(AtRewriter::unsafe);
    } else if (e instanceof Expr.Subquery sq) {
      return unsafe(sq.expr());
    } else if (e instanceof Expr.Paren p) {
      return unsafe(p.expr());
    } else if (e instanceof Expr.Unary u) {
      return unsafe(u.expr());
    } else if (e instanceof Expr.Binary b) {
      return unsafe(b.lhs()) || unsafe(b.rhs());
    } else if (e instanceof Expr.Aggregate a) {
      return (a.param() != null && unsafe(a.param())) || unsafe(a.expr());
    }
    return false;
  }

  static Expr pin(Expr e, long ts) {
    At at = new At(At.Kind.TIME, ts);
    if (e instanceof Expr.VectorSelector vs) {
      return vs.at() != null ? vs
          : new Expr.VectorSelector(vs.name(), vs.matchers(), vs.offsetMs(), at, vs.pos());
    } else if (e instanceof Expr.MatrixSelector ms) {
      return new Expr.MatrixSelector((Expr.VectorSelector) pin(ms.selector(), ts), ms.rangeMs(),
          ms.pos());
    } else if (e instanceof Expr.Subquery sq) {
      return sq.at() != null ? sq : new Expr.Subquery(sq.expr(), sq.rangeMs(), sq.stepMs(),
          sq.offsetMs(), at, sq.pos());
    } else if (e instanceof Expr.Paren p) {
      return new Expr.Paren(pin(p.expr(), ts), p.pos());
    } else if (e instanceof Expr.Unary u) {
      return new Expr.Unary(u.negate(), pin(u.expr(), ts), u.pos());
    } else if (e instanceof Expr.Binary b) {
      return new Expr.Binary(b.op(), pin(b.lhs(), ts), pin(b.rhs(), ts), b.matching(),
          b.returnBool(), b.pos());
    } else if (e instanceof Expr.Aggregate a) {
      return new Expr.Aggregate(a.op(), pin(a.expr(), ts),
          a.param() == null ? null : pin(a.param(), ts), a.grouping(), a.without(), a.pos());
    } else if (e instanceof Expr.Call c) {
      List<Expr> args = new ArrayList<>();
      for (Expr arg : c.args()) {
        args.add(pin(arg, ts));
      }
      return new Expr.Call(c.func(), args, c.pos());
    }
    return e;
  }

  /** The other eval times promqltest uses for a query evaluated at {@code ts}. */
  static long[] evalTimes(long ts) {
    return ts == 0 ? new long[] {0, -1000, 1000} : new long[] {-10 * ts, 0, ts / 5, ts, 10 * ts};
  }
}
