package dev.sextant.alert.promql;

import dev.sextant.alert.rules.ExprChecker;
import dev.sextant.query.promql.parser.ParseException;
import dev.sextant.query.promql.parser.Parser;

/**
 * Checks rule expressions with the real PromQL parser (position and expectation in the
 * message).
 */
public final class PromqlExprChecker implements ExprChecker {
  @Override
  public String check(String expr) {
    try {
      Parser.parse(expr);
      return null;
    } catch (ParseException e) {
      return e.getMessage();
    }
  }
}
