package dev.sextant.samples.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --name value} command-line arguments, with typed getters naming the flag on errors. */
public final class Args {
  private final Map<String, String> values = new LinkedHashMap<>();

  public Args(String[] args, int from) {
    for (int i = from; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("argument: " + a + " (expected: --name value)");
      }
      values.put(a.substring(2), args[++i]);
    }
  }

  public String string(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  public String required(String name) {
    String v = values.get(name);
    if (v == null) {
      throw new IllegalArgumentException("--" + name + ": missing");
    }
    return v;
  }

  public int integer(String name, int fallback) {
    String v = values.get(name);
    return v == null ? fallback : (int) number("--" + name, v);
  }

  public double decimal(String name, double fallback) {
    String v = values.get(name);
    return v == null ? fallback : number("--" + name, v);
  }

  public Duration duration(String name, Duration fallback) {
    String v = values.get(name);
    return v == null ? fallback : duration("--" + name, v);
  }

  /** {@code 250ms}, {@code 30s}, {@code 2m}, {@code 1h}. */
  public static Duration duration(String name, String v) {
    try {
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      long n = Long.parseLong(v.substring(0, v.length() - 1));
      switch (v.charAt(v.length() - 1)) {
        case 's':
          return Duration.ofSeconds(n);
        case 'm':
          return Duration.ofMinutes(n);
        case 'h':
          return Duration.ofHours(n);
        default:
          break;
      }
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      // falls through to the error below
    }
    throw new IllegalArgumentException(name + ": " + v
        + " (expected: a duration like 500ms, 30s, 2m, 1h)");
  }

  public static double number(String name, String v) {
    try {
      return Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": " + v + " (expected: a number)");
    }
  }

  /** Parses a JSON text another shop service answered with. */
  public static JsonNode readJson(String text) {
    try {
      return Reply.JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException("not JSON: " + text, e);
    }
  }

  /** {@code a=1,b=2} as an ordered map. */
  public static Map<String, String> pairs(String name, String spec) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String part : spec.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(name + ": " + part + " (expected: NAME=VALUE)");
      }
      out.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
    }
    return out;
  }
}
