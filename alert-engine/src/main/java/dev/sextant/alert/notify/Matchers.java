package dev.sextant.alert.notify;

import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Alertmanager matcher strings: {@code severity="critical"}, {@code team=~"a|b"},
 * {@code env!=prod}, optionally wrapped in braces and comma-separated. Regexes are RE2, fully
 * anchored ({@link LabelMatcher}), as in Alertmanager.
 */
public final class Matchers {
  /** Parsed matcher lists by string: a silence is checked against every alert it may mute. */
  private static final Map<String, List<LabelMatcher>> CACHE = new ConcurrentHashMap<>();
  private static final int MAX_CACHED = 4096;

  private Matchers() {}

  /**
   * Parses one or more comma-separated matchers. Scanned by hand, not with a regex: a quoted
   * value of some thousand characters overflowed java.util.regex's stack.
   *
   * @throws IllegalArgumentException naming the input when it is not a matcher list, or
   *     {@link dev.sextant.storage.metrics.InvalidRegexException} for a regex that is not RE2
   *     or over {@link dev.sextant.storage.metrics.UserRegex}'s limits
   */
  public static List<LabelMatcher> parse(String s) {
    String t = s.strip();
    if (t.startsWith("{") && t.endsWith("}")) {
      t = t.substring(1, t.length() - 1);
    }
    List<LabelMatcher> out = new ArrayList<>();
    int pos = 0;
    int n = t.length();
    while (pos < n) {
      int i = skipSpace(t, pos);
      int nameStart = i;
      if (i < n && isNameStart(t.charAt(i))) {
        i++;
        while (i < n && (isNameStart(t.charAt(i)) || t.charAt(i) >= '0' && t.charAt(i) <= '9')) {
          i++;
        }
      }
      if (i == nameStart) {
        throw bad(s);
      }
      String name = t.substring(nameStart, i);
      i = skipSpace(t, i);
      LabelMatcher.Type type;
      if (t.startsWith("=~", i)) {
        type = LabelMatcher.Type.RE;
      } else if (t.startsWith("!~", i)) {
        type = LabelMatcher.Type.NRE;
      } else if (t.startsWith("!=", i)) {
        type = LabelMatcher.Type.NEQ;
      } else if (t.startsWith("=", i)) {
        type = LabelMatcher.Type.EQ;
      } else {
        throw bad(s);
      }
      i = skipSpace(t, i + type.op().length());
      String value;
      if (i < n && t.charAt(i) == '"') {
        StringBuilder v = new StringBuilder();
        int j = i + 1;
        while (j < n && t.charAt(j) != '"') {
          char c = t.charAt(j);
          if (c == '\\' && j + 1 < n) {
            char e = t.charAt(j + 1);
            // \" and \\ and \n are escapes; any other backslash stays (regex escapes: \d).
            v.append(e == '"' || e == '\\' ? String.valueOf(e) : e == 'n' ? "\n" : "\\" + e);
            j += 2;
          } else {
            v.append(c);
            j++;
          }
        }
        if (j >= n) {
          throw bad(s);
        }
        value = v.toString();
        i = skipSpace(t, j + 1);
      } else {
        int j = i;
        while (j < n && t.charAt(j) != ',' && t.charAt(j) != '"') {
          j++;
        }
        if (j < n && t.charAt(j) == '"') {
          throw bad(s);
        }
        value = t.substring(i, j).strip();
        i = j;
      }
      if (i < n && t.charAt(i) != ',') {
        throw bad(s);
      }
      out.add(LabelMatcher.of(type, name, value));
      pos = i < n ? i + 1 : n;
    }
    return out;
  }

  private static IllegalArgumentException bad(String s) {
    return new IllegalArgumentException("bad matcher format: " + s);
  }

  private static boolean isNameStart(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
  }

  private static int skipSpace(String t, int i) {
    while (i < t.length() && Character.isWhitespace(t.charAt(i))) {
      i++;
    }
    return i;
  }

  /**
   * {@link #parseAll}, remembered: silences and inhibit rules keep their matchers as strings and
   * check them against each alert; compiling a regex every time would cost more than matching.
   */
  static List<LabelMatcher> parseAllCached(List<String> list) {
    String key = String.join("\u0000", list);
    List<LabelMatcher> m = CACHE.get(key);
    if (m == null) {
      m = List.copyOf(parseAll(list));
      if (CACHE.size() >= MAX_CACHED) {
        CACHE.clear();
      }
      CACHE.put(key, m);
    }
    return m;
  }

  /** Parses each string of an Alertmanager {@code matchers:} list. */
  public static List<LabelMatcher> parseAll(List<String> list) {
    List<LabelMatcher> out = new ArrayList<>();
    for (String s : list) {
      out.addAll(parse(s));
    }
    return out;
  }

  /** True when every matcher matches {@code labels}; an empty list matches everything. */
  public static boolean matches(List<LabelMatcher> matchers, Labels labels) {
    for (LabelMatcher m : matchers) {
      if (!m.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  /** {@code {a="b",c=~"d"}}: the matchers in Alertmanager's notation, e.g. for route keys. */
  public static String toString(List<LabelMatcher> ms) {
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
