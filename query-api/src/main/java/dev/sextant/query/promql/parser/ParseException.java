package dev.sextant.query.promql.parser;

/**
 * A PromQL syntax or type error. The message starts with {@code line:column:} (both 1-based) of the
 * offending token and says what was found and what was expected.
 */
public final class ParseException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int line;
  private final int column;

  ParseException(String input, int pos, String message) {
    super(positionOf(input, pos) + ": parse error: " + message);
    int[] lc = lineCol(input, pos);
    this.line = lc[0];
    this.column = lc[1];
  }

  /** The 1-based line of the error. */
  public int line() {
    return line;
  }

  /** The 1-based column of the error. */
  public int column() {
    return column;
  }

  static String positionOf(String input, int pos) {
    int[] lc = lineCol(input, pos);
    return lc[0] + ":" + lc[1];
  }

  static int[] lineCol(String input, int pos) {
    int line = 1;
    int col = 1;
    for (int i = 0; i < pos && i < input.length(); i++) {
      if (input.charAt(i) == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    return new int[] {line, col};
  }
}
