package dev.sextant.alert.internal.template;

import java.util.List;

/** The parse tree of a Go text/template (the subset Prometheus rule authors use). */
sealed interface Node {
  record Text(String text) implements Node {}

  record Action(Pipe pipe, Pos pos) implements Node {}

  /** {@code if}, {@code range} and {@code with}: a pipeline, a body and an optional else branch. */
  record Control(String keyword, Pipe pipe, List<Node> body, List<Node> elseBody, Pos pos)
      implements Node {}

  record Pos(int line, int col, String source) {}

  /** {@code $a, $b := cmd | cmd}; {@code assign} for {@code =} instead of {@code :=}. */
  record Pipe(List<String> decl, boolean assign, List<Cmd> cmds, Pos pos) {}

  record Cmd(List<Arg> args) {}

  sealed interface Arg {}

  record Func(String name) implements Arg {}

  record Dot() implements Arg {}

  /** {@code .A.B}: fields of dot. */
  record Field(List<String> chain) implements Arg {}

  /** {@code $x.A.B}. */
  record Var(String name, List<String> chain) implements Arg {}

  record Literal(Object value) implements Arg {}

  /** {@code (pipeline).A.B}. */
  record Sub(Pipe pipe, List<String> chain) implements Arg {}
}
