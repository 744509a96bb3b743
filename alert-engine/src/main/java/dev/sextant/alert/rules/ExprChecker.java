package dev.sextant.alert.rules;

import org.jspecify.annotations.Nullable;

/**
 * Checks that a PromQL expression parses. The server plugs in the real PromQL parser;
 * {@link #basic()} catches only what is visible without one (unbalanced brackets, unterminated
 * strings, a dangling operator).
 */
@FunctionalInterface
public interface ExprChecker {
  /** Returns null when {@code expr} is valid, otherwise the parser's message. */
  @Nullable String check(String expr);

  static ExprChecker basic() {
    return BasicExprChecker::check;
  }
}
