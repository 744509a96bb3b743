package dev.sextant.storage;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Attribute maps as the store keeps them: insertion-ordered, values are {@code String},
 * {@code Long}, {@code Double}, {@code Boolean}, {@code byte[]}, {@code List<Object>} (array) or
 * {@code Map<String, Object>} (kvlist) of the same kinds.
 */
public final class Attributes {
  private Attributes() {}

  public static Map<String, Object> empty() {
    return Collections.emptyMap();
  }

  /** From alternating keys and values, for tests and samples. */
  public static Map<String, Object> of(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return Collections.unmodifiableMap(m);
  }
}
