package dev.sextant.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each config value came from: a line of the YAML file, an environment variable or a
 * flag. Errors about a value are then reported where the user can fix it:
 * {@code sextant.yml: line 7: limits.maxAttributes: -1 (expected: ...)}, or
 * {@code --http-port: 4318, ...} when a flag set it. Keys are the YAML paths
 * ({@code ports.http}, {@code scrapeConfigs[0].job_name}).
 */
public final class ConfigSources {
  private final Map<String, String> places = new HashMap<>();
  // 1 file, 2 env var, 3 flag: a later one overrides an earlier one.
  private final Map<String, Integer> kinds = new HashMap<>();

  /** Records the line of every key and list item of {@code yaml}, read from {@code file}. */
  void readLines(Path file, String yaml, JsonFactory factory) {
    try (JsonParser p = factory.createParser(yaml)) {
      if (p.nextToken() != null) {
        walk(p, "", file);
      }
    } catch (IOException | RuntimeException e) {
      // The mapper reports a broken file with its line; lines are only a courtesy here.
    }
  }

  private void walk(JsonParser p, String path, Path file) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = path.isEmpty() ? p.currentName() : path + "." + p.currentName();
        line(key, file, p.currentTokenLocation().getLineNr());
        p.nextToken();
        walk(p, key, file);
      }
    } else if (t == JsonToken.START_ARRAY) {
      int i = 0;
      while (p.nextToken() != JsonToken.END_ARRAY && p.currentToken() != null) {
        String key = path + "[" + i++ + "]";
        line(key, file, p.currentTokenLocation().getLineNr());
        walk(p, key, file);
      }
    }
  }

  private void line(String key, Path file, int line) {
    places.put(key, file + ": line " + line);
    kinds.put(key, 1);
  }

  /** {@code key} was set by environment variable {@code name}. */
  public void env(String key, String name) {
    places.put(key, "env " + name);
    kinds.put(key, 2);
  }

  /** {@code key} was set by command-line flag {@code flag}. */
  public void flag(String key, String flag) {
    places.put(key, flag);
    kinds.put(key, 3);
  }

  /**
   * Where {@code key} was set ({@code "sextant.yml: line 4"}, {@code "env SEXTANT_HTTP_PORT"},
   * {@code "--http-port"}), or null when it kept its default.
   */
  public String where(String key) {
    return places.get(key);
  }

  /** How strongly {@code key} was set: 0 default, 1 file, 2 env var, 3 flag. */
  int rank(String key) {
    return kinds.getOrDefault(key, 0);
  }

  /** {@code key} as a user should read it: the flag or variable that set it, else the key. */
  public String name(String key) {
    String w = places.get(key);
    if (w == null || kinds.get(key) == 1) {
      return key;
    }
    return w.startsWith("env ") ? w.substring(4) : w;
  }

  /**
   * {@code e} with the place of the key its message starts with ({@code "key: ..."}): the file
   * and line of that key (or of its nearest enclosing key) first, or the flag or environment
   * variable in the key's stead. Messages about keys with no recorded source come back as is.
   */
  public IllegalArgumentException locate(IllegalArgumentException e) {
    String m = e.getMessage();
    int colon = m == null ? -1 : m.indexOf(": ");
    if (colon <= 0) {
      return e;
    }
    String key = m.substring(0, colon);
    for (String k = key; !k.isEmpty(); k = parent(k)) {
      String w = places.get(k);
      if (w == null) {
        continue;
      }
      if (kinds.get(k) == 1) {
        return new IllegalArgumentException(w + ": " + m, e);
      }
      if (k.equals(key)) {
        return new IllegalArgumentException(name(key) + m.substring(colon), e);
      }
      return e;
    }
    return e;
  }

  private static String parent(String key) {
    int cut = Math.max(key.lastIndexOf('.'), key.lastIndexOf('['));
    return cut <= 0 ? "" : key.substring(0, cut);
  }
}
