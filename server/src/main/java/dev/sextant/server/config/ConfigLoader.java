package dev.sextant.server.config;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sextant.alert.NotifierConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads the YAML config, then applies environment overrides ({@code SEXTANT_DATA_DIR},
 * {@code SEXTANT_GRPC_PORT}, {@code SEXTANT_OTLP_HTTP_PORT}, {@code SEXTANT_HTTP_PORT},
 * {@code SEXTANT_LOG_LEVEL}, {@code SEXTANT_BIND_ADDRESS}, {@code SEXTANT_AUTH_ENABLED},
 * {@code SEXTANT_KAFKA_BOOTSTRAP_SERVERS}, {@code SEXTANT_ROLES} (comma-separated),
 * {@code SEXTANT_INSTANCE_ID}, {@code SEXTANT_CLUSTER_TOKEN}, {@code SEXTANT_ENABLE_ADMIN_API} and
 * each auth token's {@code tokenEnv}). Unknown keys are errors, so a typo is not silently
 * ignored; errors about a value name its key and line (or the variable that set it), see
 * {@link ConfigSources}.
 */
public final class ConfigLoader {
  // A key with nothing under it ("tls:" whose settings are all commented out) keeps its
  // default instead of becoming null.
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .setDefaultSetterInfo(JsonSetter.Value.forValueNulls(Nulls.SKIP));

  private ConfigLoader() {}

  public static SextantConfig load(Path file, Map<String, String> env) {
    SextantConfig c = file == null ? new SextantConfig() : read(file);
    if (c == null) {
      c = new SextantConfig();
    }
    checkNotifiers(c);
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
      SextantConfig c = YAML.readValue(text, SextantConfig.class);
      if (c != null) {
        c.sources().readLines(file, text, YAML.getFactory());
      }
      return c;
    } catch (UnrecognizedPropertyException e) {
      throw new IllegalArgumentException(file + ": line " + keyLine(text, e.getPropertyName(),
          e.getLocation().getLineNr()) + ": unknown key '" + e.getPropertyName() + "'", e);
    } catch (JsonProcessingException e) {
      // A setter's own check (e.g. tenantLimits) says it best; Jackson's wrapper adds noise.
      String why = e.getCause() instanceof IllegalArgumentException iae ? iae.getMessage()
          : e.getOriginalMessage();
      String key = e instanceof JsonMappingException m ? path(m) : "";
      throw new IllegalArgumentException(file + ": line "
          + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ": "
          + withKey(key, why), e);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@code key: why}, where a setter's message that already starts with the key's last segment
   * ({@code maxLabelNameLength: -5 ...}) or the whole key gets the whole key once.
   */
  private static String withKey(String key, String why) {
    if (key.isEmpty() || why.startsWith(key + ":")) {
      return why;
    }
    String leaf = key.substring(key.lastIndexOf('.') + 1);
    return key + ": " + (why.startsWith(leaf + ":") ? why.substring(leaf.length() + 1).strip()
        : why);
  }

  /** The YAML path of a mapping error ({@code limits.maxAttributes}), or "". */
  private static String path(JsonMappingException e) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        b.append(b.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.toString();
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

  /**
   * Checks the notifier sections as read from the file (no YAML round trip), so an error names
   * the key and its line: {@code sextant.yml: line 9: alerting.notifier.route.group_wait: ...}.
   */
  private static void checkNotifiers(SextantConfig c) {
    try {
      if (c.alerting.notifier != null) {
        notifier("alerting.notifier", c.alerting.notifier);
      }
      if (c.alerting.tenantNotifiers != null) {
        c.alerting.tenantNotifiers.forEach((tenant, section) ->
            notifier("alerting.tenantNotifiers." + tenant, section));
      }
    } catch (IllegalArgumentException e) {
      throw c.sources().locate(e);
    }
  }

  private static void notifier(String key, Map<String, ?> section) {
    try {
      NotifierConfig.of(section == null ? Map.of() : section, null);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + "." + e.getMessage(), e);
    }
  }

  private static void apply(SextantConfig c, Map<String, String> env) {
    String v;
    ConfigSources src = c.sources();
    if ((v = env.get("SEXTANT_DATA_DIR")) != null) {
      c.dataDir = v;
      src.env("dataDir", "SEXTANT_DATA_DIR");
    }
    if ((v = env.get("SEXTANT_BIND_ADDRESS")) != null) {
      c.bindAddress = v;
      src.env("bindAddress", "SEXTANT_BIND_ADDRESS");
    }
    if ((v = env.get("SEXTANT_LOG_LEVEL")) != null) {
      c.logLevel = v;
      src.env("logLevel", "SEXTANT_LOG_LEVEL");
    }
    if ((v = env.get("SEXTANT_GRPC_PORT")) != null) {
      c.ports.grpc = port("SEXTANT_GRPC_PORT", v);
      src.env("ports.grpc", "SEXTANT_GRPC_PORT");
    }
    if ((v = env.get("SEXTANT_OTLP_HTTP_PORT")) != null) {
      c.ports.otlpHttp = port("SEXTANT_OTLP_HTTP_PORT", v);
      src.env("ports.otlpHttp", "SEXTANT_OTLP_HTTP_PORT");
    }
    if ((v = env.get("SEXTANT_HTTP_PORT")) != null) {
      c.ports.http = port("SEXTANT_HTTP_PORT", v);
      src.env("ports.http", "SEXTANT_HTTP_PORT");
    }
    if ((v = env.get("SEXTANT_KAFKA_BOOTSTRAP_SERVERS")) != null) {
      c.cluster.kafka.bootstrapServers = v;
      src.env("cluster.kafka.bootstrapServers", "SEXTANT_KAFKA_BOOTSTRAP_SERVERS");
    }
    if ((v = env.get("SEXTANT_KAFKA_PROPERTIES_FILE")) != null) {
      c.cluster.kafka.propertiesFile = v;
      src.env("cluster.kafka.propertiesFile", "SEXTANT_KAFKA_PROPERTIES_FILE");
    }
    if ((v = env.get("SEXTANT_ROLES")) != null) {
      src.env("cluster.roles", "SEXTANT_ROLES");
      try {
        c.cluster.setRoles(List.of(v.split(",")));
      } catch (IllegalArgumentException e) {
        throw src.locate(e);
      }
    }
    if ((v = env.get("SEXTANT_INSTANCE_ID")) != null) {
      c.cluster.instanceId = v;
      src.env("cluster.instanceId", "SEXTANT_INSTANCE_ID");
    }
    if ((v = env.get("SEXTANT_CLUSTER_TOKEN")) != null) {
      c.cluster.internalToken = v;
      src.env("cluster.internalToken", "SEXTANT_CLUSTER_TOKEN");
    }
    if (env.get("SEXTANT_AUTH_ENABLED") != null) {
      src.env("auth.enabled", "SEXTANT_AUTH_ENABLED");
    }
    if (env.get("SEXTANT_ENABLE_ADMIN_API") != null) {
      src.env("auth.enableAdminApi", "SEXTANT_ENABLE_ADMIN_API");
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
