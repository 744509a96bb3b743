package dev.sextant.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads the YAML config, then applies environment overrides ({@code SEXTANT_DATA_DIR},
 * {@code SEXTANT_GRPC_PORT}, {@code SEXTANT_OTLP_HTTP_PORT}, {@code SEXTANT_HTTP_PORT},
 * {@code SEXTANT_LOG_LEVEL}, {@code SEXTANT_AUTH_ENABLED} and each auth token's
 * {@code tokenEnv}). Unknown keys are errors, so a typo is not silently ignored.
 */
public final class ConfigLoader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ConfigLoader() {}

  public static SextantConfig load(Path file, Map<String, String> env) {
    SextantConfig c = file == null ? new SextantConfig() : read(file);
    if (c == null) {
      c = new SextantConfig();
    }
    apply(c, env);
    return c;
  }

  private static SextantConfig read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("--config: " + file + " (expected: an existing YAML file)");
    }
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
    if (text.isBlank()) {
      return new SextantConfig();
    }
    try {
      return YAML.readValue(text, SextantConfig.class);
    } catch (UnrecognizedPropertyException e) {
      throw new IllegalArgumentException(file + ": line " + keyLine(text, e.getPropertyName(),
          e.getLocation().getLineNr()) + ": unknown key '" + e.getPropertyName() + "'", e);
    } catch (JsonProcessingException e) {
      // A setter's own check (e.g. tenantLimits) says it best; Jackson's wrapper adds noise.
      String why = e.getCause() instanceof IllegalArgumentException iae ? iae.getMessage()
          : e.getOriginalMessage();
      throw new IllegalArgumentException(file + ": line "
          + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ": " + why, e);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** Jackson reports the position after the key; users want the key's own line. */
  private static int keyLine(String text, String key, int fallback) {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i].strip();
      if (l.startsWith(key + ":") || l.startsWith("\"" + key + "\":")) {
        return i + 1;
      }
    }
    return fallback;
  }

  /** Writes a config subtree back as YAML (for components that parse their own section). */
  public static String toYaml(Object section) {
    try {
      return YAML.writeValueAsString(section);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot re-serialize config section: " + e.getMessage(), e);
    }
  }

  private static void apply(SextantConfig c, Map<String, String> env) {
    String v;
    if ((v = env.get("SEXTANT_DATA_DIR")) != null) {
      c.dataDir = v;
    }
    if ((v = env.get("SEXTANT_LOG_LEVEL")) != null) {
      c.logLevel = v;
    }
    if ((v = env.get("SEXTANT_GRPC_PORT")) != null) {
      c.ports.grpc = port("SEXTANT_GRPC_PORT", v);
    }
    if ((v = env.get("SEXTANT_OTLP_HTTP_PORT")) != null) {
      c.ports.otlpHttp = port("SEXTANT_OTLP_HTTP_PORT", v);
    }
    if ((v = env.get("SEXTANT_HTTP_PORT")) != null) {
      c.ports.http = port("SEXTANT_HTTP_PORT", v);
    }
    c.auth.applyEnv(env);
  }

  private static int port(String name, String v) {
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": " + v + " (expected: a port number)", e);
    }
  }
}
