package dev.sextant.query.promql.parser;

import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import java.util.ArrayList;
import java.util.List;

/**
 * A PromQL abstract syntax tree node. Nodes are immutable records; their {@link Pos} never takes part
 * in equality. Times and durations are milliseconds.
 */
public sealed interface Expr {
  /** The value type this expression evaluates to. */
  ValueType type();

  /** Where the expression appears in the query text. */
  Pos pos();

  /** {@code @} modifier: a fixed time, or the query's start or end. */
  record At(Kind kind, long timeMs) {
    public enum Kind { TIME, START, END }
  }

  record NumberLiteral(double value, Pos pos) implements Expr {
    @Override
    public ValueType type() {
      return ValueType.SCALAR;
    }
  }

  record StringLiteral(String value, Pos pos) implements Expr {
    @Override
    public ValueType type() {
      return ValueType.STRING;
    }
  }

  /**
   * An instant vector selector. {@code name} is "" when only matchers were given; {@code matchers}
   * excludes the name matcher, see {@link #allMatchers()}. {@code at} may be null.
   */
  record VectorSelector(String name, List<LabelMatcher> matchers, long offsetMs, At at, Pos pos)
      implements Expr {
    public VectorSelector {
      matchers = List.copyOf(matchers);
    }

    @Override
    public ValueType type() {
      return ValueType.VECTOR;
    }

    public List<LabelMatcher> allMatchers() {
      if (name.isEmpty()) {
        return matchers;
      }
      List<LabelMatcher> all = new ArrayList<>(matchers.size() + 1);
      all.add(LabelMatcher.eq(Labels.NAME, name));
      all.addAll(matchers);
      return all;
    }

    VectorSelector withModifiers(long offset, At newAt) {
      return new VectorSelector(name, matchers, offset, newAt, pos);
    }
  }

  /** A range selector; offset and {@code @} live on the inner selector. */
  record MatrixSelector(VectorSelector selector, long rangeMs, Pos pos) implements Expr {
    @Override
    public ValueType type() {
      return ValueType.MATRIX;
    }
  }

  /** {@code expr[range:step]}; {@code stepMs} is 0 when omitted (engine default). */
  record Subquery(Expr expr, long rangeMs, long stepMs, long offsetMs, At at, Pos pos)
      implements Expr {
    @Override
    public ValueType type() {
      return ValueType.MATRIX;
    }
  }

  record Paren(Expr expr, Pos pos) implements Expr {
    @Override
    public ValueType type() {
      return expr.type();
    }
  }

  /** Unary {@code -} or {@code +} ({@code negate} false). */
  record Unary(boolean negate, Expr expr, Pos pos) implements Expr {
    @Override
    public ValueType type() {
      return expr.type();
    }
  }

  /** Vector matching of a binary operation; {@code include} are the group_x labels. */
  record VectorMatching(Cardinality card, List<String> labels, boolean on, List<String> include) {
    public enum Cardinality { ONE_TO_ONE, MANY_TO_ONE, ONE_TO_MANY, MANY_TO_MANY }

    public VectorMatching {
      labels = List.copyOf(labels);
      include = List.copyOf(include);
    }
  }

  /** {@code matching} is null unless both sides are vectors. */
  record Binary(BinOp op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool, Pos pos)
      implements Expr {
    @Override
    public ValueType type() {
      return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR
          ? ValueType.SCALAR : ValueType.VECTOR;
    }
  }

  /** {@code param} is null for operators without one; {@code grouping} keeps the written order. */
  record Aggregate(AggOp op, Expr expr, Expr param, List<String> grouping, boolean without, Pos pos)
      implements Expr {
    public Aggregate {
      grouping = List.copyOf(grouping);
    }

    @Override
    public ValueType type() {
      return ValueType.VECTOR;
    }
  }

  record Call(FunctionSignature func, List<Expr> args, Pos pos) implements Expr {
    public Call {
      args = List.copyOf(args);
    }

    @Override
    public ValueType type() {
      return func.returnType();
    }
  }
}
