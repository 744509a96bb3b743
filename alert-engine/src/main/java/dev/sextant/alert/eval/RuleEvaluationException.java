package dev.sextant.alert.eval;

/** A rule's evaluation failed (query error, duplicate label sets, limit exceeded). */
final class RuleEvaluationException extends Exception {
  private static final long serialVersionUID = 1L;

  public RuleEvaluationException(String message, Throwable cause) {
    super(message, cause);
  }
}
