package dev.sextant.query.promql.parser;

/** A lexical token; {@code pos} is the character offset of its first character. */
record Token(Kind kind, String text, int pos) {
  enum Kind {
    IDENT, NUMBER, DURATION, STRING,
    LBRACE, RBRACE, LPAREN, RPAREN, LBRACKET, RBRACKET, COMMA, COLON, AT,
    ASSIGN, EQLC, NEQ, EQL_REGEX, NEQ_REGEX,
    ADD, SUB, MUL, DIV, MOD, POW, LSS, LTE, GTR, GTE,
    EOF
  }

  boolean is(Kind k) {
    return kind == k;
  }

  /** Whether this is the identifier {@code word}, compared case-insensitively like Prometheus keywords. */
  boolean isWord(String word) {
    return kind == Kind.IDENT && text.equalsIgnoreCase(word);
  }

  String describe() {
    return switch (kind) {
      case EOF -> "end of input";
      case IDENT -> "identifier \"" + text + "\"";
      case NUMBER -> "number \"" + text + "\"";
      case DURATION -> "duration \"" + text + "\"";
      case STRING -> "string " + text;
      default -> "\"" + text + "\"";
    };
  }
}
