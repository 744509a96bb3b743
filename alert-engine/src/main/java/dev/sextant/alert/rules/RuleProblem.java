package dev.sextant.alert.rules;

/** An error or warning in a rule file, printed as {@code file:line: message}. */
public record RuleProblem(String file, int line, boolean warning, String message) {
  @Override
  public String toString() {
    return file + ":" + line + ": " + (warning ? "warning: " : "") + message;
  }
}
