package dev.sextant.query.promql.parser;

import dev.sextant.query.promql.parser.Token.Kind;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Splits a PromQL expression into tokens; comments ({@code #} to end of line) are dropped. */
final class Lexer {
  private final String in;
  private int i;
  private int bracketDepth;
  private int braceDepth;
  private final List<Token> out = new ArrayList<>();

  private Lexer(String in) {
    this.in = in;
  }

  static List<Token> lex(String input) {
    Lexer l = new Lexer(input);
    l.run();
    return l.out;
  }

  private ParseException error(int pos, String msg) {
    return new ParseException(in, pos, msg);
  }

  private void emit(Kind k, int start) {
    out.add(new Token(k, in.substring(start, i), start));
  }

  private void run() {
    while (true) {
      skipSpaceAndComments();
      if (i >= in.length()) {
        if (braceDepth > 0) {
          throw error(i, "unexpected end of input inside braces");
        }
        if (bracketDepth > 0) {
          throw error(i, "unexpected end of input inside brackets");
        }
        out.add(new Token(Kind.EOF, "", i));
        return;
      }
      int start = i;
      char c = in.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        lexString(c);
        continue;
      }
      if (isDigit(c) || (c == '.' && i + 1 < in.length() && isDigit(in.charAt(i + 1)))) {
        lexNumberOrDuration();
        continue;
      }
      if (isIdentStart(c)) {
        while (i < in.length() && isIdentChar(in.charAt(i))) {
          i++;
        }
        String word = in.substring(start, i);
        if (braceDepth == 0 && (word.equalsIgnoreCase("inf") || word.equalsIgnoreCase("nan"))) {
          emit(Kind.NUMBER, start);
        } else {
          emit(Kind.IDENT, start);
        }
        continue;
      }
      i++;
      switch (c) {
        case '{' -> {
          braceDepth++;
          emit(Kind.LBRACE, start);
        }
        case '}' -> {
          if (braceDepth == 0) {
            throw error(start, "unexpected right brace");
          }
          braceDepth--;
          emit(Kind.RBRACE, start);
        }
        case '(' -> emit(Kind.LPAREN, start);
        case ')' -> emit(Kind.RPAREN, start);
        case '[' -> {
          bracketDepth++;
          emit(Kind.LBRACKET, start);
        }
        case ']' -> {
          if (bracketDepth == 0) {
            throw error(start, "unexpected right bracket");
          }
          bracketDepth--;
          emit(Kind.RBRACKET, start);
        }
        case ',' -> emit(Kind.COMMA, start);
        case ':' -> emit(Kind.COLON, start);
        case '@' -> emit(Kind.AT, start);
        case '+' -> emit(Kind.ADD, start);
        case '-' -> emit(Kind.SUB, start);
        case '*' -> emit(Kind.MUL, start);
        case '/' -> emit(Kind.DIV, start);
        case '%' -> emit(Kind.MOD, start);
        case '^' -> emit(Kind.POW, start);
        case '=' -> {
          if (accept('=')) {
            emit(Kind.EQLC, start);
          } else if (accept('~')) {
            emit(Kind.EQL_REGEX, start);
          } else {
            emit(Kind.ASSIGN, start);
          }
        }
        case '!' -> {
          if (accept('=')) {
            emit(Kind.NEQ, start);
          } else if (accept('~')) {
            emit(Kind.NEQ_REGEX, start);
          } else {
            throw error(start, "unexpected character after '!': expected '=' or '~'");
          }
        }
        case '<' -> emit(accept('=') ? Kind.LTE : Kind.LSS, start);
        case '>' -> emit(accept('=') ? Kind.GTE : Kind.GTR, start);
        default -> throw error(start, "unexpected character: " + quoteChar(c));
      }
    }
  }

  private static String quoteChar(char c) {
    return "'" + c + "'";
  }

  private boolean accept(char c) {
    if (i < in.length() && in.charAt(i) == c) {
      i++;
      return true;
    }
    return false;
  }

  private void skipSpaceAndComments() {
    while (i < in.length()) {
      char c = in.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        i++;
      } else if (c == '#') {
        while (i < in.length() && in.charAt(i) != '\n') {
          i++;
        }
      } else {
        return;
      }
    }
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isIdentStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private boolean isIdentChar(char c) {
    // Colons belong to metric names (recording rules) except inside brackets, where they split
    // a subquery's range from its step.
    return isIdentStart(c) || isDigit(c) || (c == ':' && bracketDepth == 0 && braceDepth == 0);
  }

  private void lexNumberOrDuration() {
    int start = i;
    // A duration is digits followed by a unit, possibly repeated (1h30m).
    int j = i;
    int segments = 0;
    while (true) {
      int k = j;
      while (k < in.length() && isDigit(in.charAt(k))) {
        k++;
      }
      if (k == j || k >= in.length() || unitAt(k) == 0) {
        if (segments > 0 && k != j) {
          throw error(start, "bad duration syntax: \"" + in.substring(start, k) + "\"");
        }
        break;
      }
      j = k + unitAt(k);
      segments++;
    }
    boolean isDuration = segments > 0;
    if (isDuration) {
      if (j < in.length() && (isIdentStart(in.charAt(j)) || in.charAt(j) == '.')) {
        throw error(start, "bad number or duration syntax: \"" + in.substring(start, j + 1) + "\"");
      }
      i = j;
      emit(Kind.DURATION, start);
      return;
    }
    if (!isDuration) {
      if (in.startsWith("0x", i) || in.startsWith("0X", i)) {
        i += 2;
        while (i < in.length() && (Character.digit(in.charAt(i), 16) >= 0 || in.charAt(i) == '_')) {
          i++;
        }
      } else {
        digits();
        if (accept('.')) {
          digits();
        }
        if (i < in.length() && (in.charAt(i) == 'e' || in.charAt(i) == 'E')) {
          int save = i;
          i++;
          if (i < in.length() && (in.charAt(i) == '+' || in.charAt(i) == '-')) {
            i++;
          }
          if (i < in.length() && isDigit(in.charAt(i))) {
            digits();
          } else {
            i = save;
          }
        }
      }
      if (i < in.length() && (isIdentStart(in.charAt(i)) || in.charAt(i) == '.')) {
        throw error(start, "bad number or duration syntax: \"" + in.substring(start, i + 1) + "\"");
      }
      emit(Kind.NUMBER, start);
    }
  }

  private void digits() {
    while (i < in.length() && (isDigit(in.charAt(i))
        || (in.charAt(i) == '_' && i > 0 && isDigit(in.charAt(i - 1))
            && i + 1 < in.length() && isDigit(in.charAt(i + 1))))) {
      i++;
    }
  }

  /** Length of a duration unit at {@code j}, or 0. */
  private int unitAt(int j) {
    char c = in.charAt(j);
    if (c == 'm' && j + 1 < in.length() && in.charAt(j + 1) == 's') {
      return 2;
    }
    return switch (c) {
      case 'y', 'w', 'd', 'h', 'm', 's' -> 1;
      default -> 0;
    };
  }

  private void lexString(char quote) {
    int start = i;
    i++;
    if (quote == '`') {
      int end = in.indexOf('`', i);
      if (end < 0) {
        throw error(start, "unterminated raw string");
      }
      i = end + 1;
      emit(Kind.STRING, start);
      return;
    }
    while (true) {
      if (i >= in.length()) {
        throw error(start, "unterminated quoted string");
      }
      char c = in.charAt(i++);
      if (c == '\\') {
        if (i >= in.length()) {
          throw error(start, "unterminated quoted string");
        }
        i++;
      } else if (c == quote) {
        break;
      } else if (c == '\n') {
        throw error(start, "unterminated quoted string");
      }
    }
    emit(Kind.STRING, start);
  }

  /** Decodes a string token's text (with quotes) using Go's escape rules. */
  static String unquote(String input, Token t) {
    String s = t.text();
    char q = s.charAt(0);
    String body = s.substring(1, s.length() - 1);
    if (q == '`') {
      return body;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int k = 0; k < body.length(); k++) {
      char c = body.charAt(k);
      if (c != '\\') {
        if (Character.isHighSurrogate(c) && k + 1 < body.length()) {
          bytes.writeBytes(body.substring(k, k + 2).getBytes(StandardCharsets.UTF_8));
          k++;
        } else {
          bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
        }
        continue;
      }
      char e = body.charAt(++k);
      switch (e) {
        case 'a' -> bytes.write(7);
        case 'b' -> bytes.write(8);
        case 'f' -> bytes.write(12);
        case 'n' -> bytes.write('\n');
        case 'r' -> bytes.write('\r');
        case 't' -> bytes.write('\t');
        case 'v' -> bytes.write(11);
        case '\\' -> bytes.write('\\');
        case '\'', '"' -> {
          if (e != q) {
            throw new ParseException(input, t.pos() + k, "invalid escape sequence \\" + e);
          }
          bytes.write(e);
        }
        case 'x', 'u', 'U' -> {
          int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
          if (k + n >= body.length()) {
            throw new ParseException(input, t.pos() + k, "invalid escape sequence");
          }
          int v;
          try {
            v = Integer.parseUnsignedInt(body.substring(k + 1, k + 1 + n), 16);
          } catch (RuntimeException ex) {
            throw new ParseException(input, t.pos() + k, "invalid escape sequence \\" + e);
          }
          k += n;
          if (e == 'x') {
            bytes.write(v);
          } else if (!Character.isValidCodePoint(v)
              || (v >= Character.MIN_SURROGATE && v <= Character.MAX_SURROGATE)) {
            throw new ParseException(input, t.pos() + k - n,
                "invalid Unicode code point in escape sequence \\" + e);
          } else {
            bytes.writeBytes(new String(Character.toChars(v)).getBytes(StandardCharsets.UTF_8));
          }
        }
        default -> {
          // Go: exactly three octal digits, at most \377; anything else is a bad escape.
          if (k + 2 < body.length() && isOctal(body, k, 3)
              && Integer.parseInt(body.substring(k, k + 3), 8) <= 0xff) {
            int v = Integer.parseInt(body.substring(k, k + 3), 8);
            k += 2;
            bytes.write(v);
          } else {
            throw new ParseException(input, t.pos() + k, "invalid escape sequence \\" + e);
          }
        }
      }
    }
    return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
  }

  private static boolean isOctal(String s, int from, int n) {
    for (int i = from; i < from + n; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '7') {
        return false;
      }
    }
    return true;
  }
}
