package dev.sextant.query.promql;

import java.nio.charset.StandardCharsets;

/**
 * Label-name arguments of {@code label_replace}, {@code label_join} and {@code count_values}:
 * validity check and Go-style quoting for their error messages.
 */
final class LabelArguments {
  private LabelArguments() {}

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

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
