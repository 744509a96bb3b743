package dev.sextant.query.promql.engine;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;

/** Label helpers shared by label_replace, label_join and count_values. */
final class Functions2 {
  private Functions2() {}

  /** Prometheus 3 accepts any non-empty valid UTF-8 label name. */
  static boolean validLabelName(String name) {
    return name != null && !name.isEmpty() && name.indexOf('\uFFFD') < 0;
  }

  static String goQuote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\uFFFD') {
        sb.append("\\x").append(String.format("%02x", 0xc5));
      } else if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c == '\n') {
        sb.append("\\n");
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  /** Go's regexp.Expand template semantics: $1, ${1}, $name, ${name}, $$. */
  static String expand(String template, Matcher m) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c != '$' || i + 1 >= template.length()) {
        sb.append(c);
        i++;
        continue;
      }
      char n = template.charAt(i + 1);
      if (n == '$') {
        sb.append('$');
        i += 2;
        continue;
      }
      String name;
      int next;
      if (n == '{') {
        int close = template.indexOf('}', i + 2);
        if (close < 0) {
          sb.append(c);
          i++;
          continue;
        }
        name = template.substring(i + 2, close);
        next = close + 1;
      } else {
        int j = i + 1;
        while (j < template.length() && (Character.isLetterOrDigit(template.charAt(j))
            || template.charAt(j) == '_')) {
          j++;
        }
        if (j == i + 1) {
          sb.append(c);
          i++;
          continue;
        }
        name = template.substring(i + 1, j);
        next = j;
      }
      sb.append(group(m, name));
      i = next;
    }
    return sb.toString();
  }

  private static String group(Matcher m, String name) {
    String g = null;
    if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
      try {
        int idx = Integer.parseInt(name);
        if (idx <= m.groupCount()) {
          g = m.group(idx);
        }
      } catch (NumberFormatException e) {
        g = null;
      }
    } else {
      try {
        g = m.group(name);
      } catch (IllegalArgumentException e) {
        g = null;
      }
    }
    return g == null ? "" : g;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
