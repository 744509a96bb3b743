package dev.sextant.alert.internal.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Reading values of a YAML section; every error starts with the key's path. */
final class Yamls {
  private Yamls() {}

  /**
   * Refuses keys of {@code m} outside {@code supported}, naming the first one, e.g.
   * {@code receivers[0].slack_configs: not supported (supported: name, webhook_configs, ...)}.
   */
  static void keys(Map<?, ?> m, String where, List<String> supported) {
    Set<String> ok = Set.copyOf(supported);
    for (Object k : m.keySet()) {
      if (!ok.contains(String.valueOf(k))) {
        throw new IllegalArgumentException(path(where, String.valueOf(k))
            + ": not supported (supported: " + String.join(", ", supported) + ")");
      }
    }
  }

  static String path(String where, String key) {
    return where.isEmpty() ? key : where + "." + key;
  }

  static Map<?, ?> map(@Nullable Object o, String where) {
    if (o instanceof Map<?, ?> m) {
      return m;
    }
    throw new IllegalArgumentException(where + ": " + (o == null ? "missing" : "expected a mapping"));
  }

  static List<?> list(@Nullable Object o, String where) {
    if (o == null) {
      return List.of();
    }
    if (o instanceof List<?> l) {
      return l;
    }
    throw new IllegalArgumentException(where + ": expected a list");
  }

  static String str(@Nullable Object o, String where) {
    if (o == null || String.valueOf(o).isBlank()) {
      throw new IllegalArgumentException(where + ": missing");
    }
    return String.valueOf(o);
  }

  static @Nullable String opt(@Nullable Object o) {
    return o == null ? null : String.valueOf(o);
  }

  static List<String> strings(@Nullable Object o) {
    List<String> out = new ArrayList<>();
    if (o instanceof List<?> l) {
      l.forEach(x -> out.add(String.valueOf(x)));
    } else if (o != null) {
      out.add(String.valueOf(o));
    }
    return out;
  }

  static boolean bool(@Nullable Object o, boolean dflt, String where) {
    if (o == null) {
      return dflt;
    }
    String s = String.valueOf(o);
    if (s.equals("true") || s.equals("false")) {
      return Boolean.parseBoolean(s);
    }
    throw new IllegalArgumentException(where + ": " + s + " (expected: true or false)");
  }

  static int nonNegativeInt(@Nullable Object o, String where) {
    if (o == null) {
      return 0;
    }
    try {
      int v = Integer.parseInt(String.valueOf(o));
      if (v >= 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(where + ": " + o + " (expected: an integer >= 0)");
  }

  /** Alertmanager's old {@code match}/{@code match_re} maps as matcher strings. */
  static List<String> legacy(@Nullable Object o, String op) {
    List<String> out = new ArrayList<>();
    if (o instanceof Map<?, ?> m) {
      m.forEach((k, v) -> out.add(k + op + "\"" + String.valueOf(v).replace("\\", "\\\\")
          .replace("\"", "\\\"") + "\""));
    }
    return out;
  }
}
