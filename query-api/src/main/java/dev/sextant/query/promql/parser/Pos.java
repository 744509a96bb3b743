package dev.sextant.query.promql.parser;

/**
 * Where a node starts and ends in the query text (character offsets, end exclusive). Positions never
 * take part in AST equality, so {@code parse(print(ast)).equals(ast)} holds although printing
 * normalises spacing.
 */
public record Pos(int start, int end) {
  public static final Pos NONE = new Pos(0, 0);

  @Override
  public boolean equals(Object o) {
    return o instanceof Pos;
  }

  @Override
  public int hashCode() {
    return 0;
  }
}
