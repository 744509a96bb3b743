package dev.sextant.alert.notify;

import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Alertmanager matcher strings: {@code severity="critical"}, {@code team=~"a|b"},
 * {@code env!=prod}, optionally wrapped in braces and comma-separated.
 */
public final class Matchers {
  private static final Pattern ONE = Pattern.compile(
      "\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|[^,\"]*?)\\s*(?:,|$)");

  private Matchers() {}

  /**
   * Parses one or more comma-separated matchers.
   *
   * @throws IllegalArgumentException naming the input when it is not a matcher list
   */
  public static List<LabelMatcher> parse(String s) {
    String t = s.strip();
    if (t.startsWith("{") && t.endsWith("}")) {
      t = t.substring(1, t.length() - 1);
    }
    List<LabelMatcher> out = new ArrayList<>();
    Matcher m = ONE.matcher(t);
    int pos = 0;
    while (pos < t.length()) {
      if (!m.find(pos) || m.start() != pos) {
        throw new IllegalArgumentException("bad matcher format: " + s);
      }
      String v = m.group(3);
      if (v.startsWith("\"")) {
        v = v.substring(1, v.length() - 1).replace("\\\"", "\"").replace("\\n", "\n")
            .replace("\\\\", "\\");
      }
      LabelMatcher.Type type = switch (m.group(2)) {
        case "=" -> LabelMatcher.Type.EQ;
        case "!=" -> LabelMatcher.Type.NEQ;
        case "=~" -> LabelMatcher.Type.RE;
        default -> LabelMatcher.Type.NRE;
      };
      out.add(LabelMatcher.of(type, m.group(1), v));
      pos = m.end();
      if (m.end() == m.start()) {
        break;
      }
    }
    return out;
  }

  /** Parses each string of an Alertmanager {@code matchers:} list. */
  public static List<LabelMatcher> parseAll(List<String> list) {
    List<LabelMatcher> out = new ArrayList<>();
    for (String s : list) {
      out.addAll(parse(s));
    }
    return out;
  }

  public static boolean matches(List<LabelMatcher> matchers, Labels labels) {
    for (LabelMatcher m : matchers) {
      if (!m.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  static String toString(List<LabelMatcher> ms) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < ms.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      LabelMatcher m = ms.get(i);
      sb.append(m.name()).append(m.type().op()).append('"').append(m.value()).append('"');
    }
    return sb.append('}').toString();
  }
}
