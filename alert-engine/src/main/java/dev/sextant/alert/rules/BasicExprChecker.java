package dev.sextant.alert.rules;

import java.util.ArrayDeque;
import java.util.Deque;

/** Parser-free sanity checks for PromQL, until the real parser is plugged in. */
final class BasicExprChecker {
  private BasicExprChecker() {}

  static String check(String expr) {
    String e = expr.strip();
    if (e.isEmpty()) {
      return "no expression found in input";
    }
    Deque<Character> open = new ArrayDeque<>();
    for (int i = 0; i < e.length(); i++) {
      char c = e.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        int j = i + 1;
        while (j < e.length() && e.charAt(j) != c) {
          if (c != '`' && e.charAt(j) == '\\') {
            j++;
          }
          j++;
        }
        if (j >= e.length()) {
          return "1:" + (i + 1) + ": parse error: unterminated quoted string";
        }
        i = j;
      } else if (c == '#') {
        int nl = e.indexOf('\n', i);
        i = nl < 0 ? e.length() : nl;
      } else if (c == '(' || c == '[' || c == '{') {
        open.push(c);
      } else if (c == ')' || c == ']' || c == '}') {
        char want = c == ')' ? '(' : c == ']' ? '[' : '{';
        if (open.isEmpty() || open.pop() != want) {
          return "1:" + (i + 1) + ": parse error: unexpected \"" + c + "\"";
        }
      }
    }
    if (!open.isEmpty()) {
      return "parse error: unclosed \"" + open.peek() + "\"";
    }
    String tail = e.replaceAll("#[^\n]*$", "").strip();
    for (String op : new String[] {"+", "-", "*", "/", "%", "^", "==", "!=", ">", "<", ">=", "<=",
        " and", " or", " unless", ","}) {
      if (tail.endsWith(op)) {
        return "1:" + (tail.length() + 1) + ": parse error: unexpected end of input";
      }
    }
    return null;
  }
}
