package dev.sextant.storage.metrics;

/**
 * A user-supplied regular expression that {@link UserRegex} refuses: not valid RE2 syntax
 * (backreferences and lookaround are not RE2), or over one of its size limits. Callers answer it
 * as a client error (HTTP 400, a config error) naming the field that held the expression.
 */
public final class InvalidRegexException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String regex;
  private final String problem;

  InvalidRegexException(String regex, String problem) {
    super("invalid regular expression " + abbreviate(regex) + ": " + problem);
    this.regex = regex;
    this.problem = problem;
  }

  /** What is wrong, e.g. {@code error parsing regexp: missing closing ]: `[a`}. */
  public String problem() {
    return problem;
  }

  /** The expression quoted, cut to 100 characters (with its length) when longer. */
  public String quotedRegex() {
    return abbreviate(regex);
  }

  /** The expression as the user gave it. */
  public String regex() {
    return regex;
  }

  /** Quoted, and cut to 100 characters: a 16 KiB expression is not repeated in every answer. */
  private static String abbreviate(String s) {
    String cut = s.length() > 100 ? s.substring(0, 100) : s;
    String q = '"' + cut.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    return s.length() > 100 ? q + "... (" + s.length() + " characters)" : q;
  }
}
