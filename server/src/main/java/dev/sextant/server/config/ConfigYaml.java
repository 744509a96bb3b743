package dev.sextant.server.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The effective configuration (file, environment and flags merged) as YAML for
 * {@code GET /api/v1/status/config}, with every secret replaced by {@code <secret>} as Prometheus
 * shows its own: auth tokens (also those read from {@code tokenEnv}) and their hashes, the TLS
 * key password, and the notifiers' keys and webhook URLs (which often carry a token).
 */
public final class ConfigYaml {
  static final String SECRET = "<secret>";
  /** Keys whose value is a secret wherever they appear. */
  private static final Set<String> SECRET_KEYS = Set.of("token", "sha256", "keyPassword",
      "password", "routing_key", "service_key", "api_key", "api_url", "bearer_token",
      "client_secret", "internalToken");
  /** Kafka client settings ({@code cluster.kafka.properties}) whose value is a secret. */
  private static final Pattern KAFKA_SECRET =
      Pattern.compile("(?i)password|jaas|secret|token|credential|\\.key$");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private ConfigYaml() {}

  /** {@code config} as YAML, secrets masked. */
  public static String masked(SextantConfig config) {
    requireNonNull(config, "config");
    JsonNode tree = YAML.valueToTree(config);
    mask(tree, false);
    try {
      return YAML.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("config: " + e.getOriginalMessage(), e);
    }
  }

  private static void mask(JsonNode node, boolean inWebhook) {
    if (node instanceof ObjectNode o) {
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode v = o.get(name);
        if (!v.isNull() && (SECRET_KEYS.contains(name) || (inWebhook && name.equals("url")))) {
          o.put(name, SECRET);
        } else if (name.equals("properties") && v instanceof ObjectNode kafka) {
          // Kafka client settings: sasl.jaas.config, ssl.*.password, oauth secrets...
          List<String> keys = new ArrayList<>();
          kafka.fieldNames().forEachRemaining(keys::add);
          keys.stream().filter(k -> KAFKA_SECRET.matcher(k).find())
              .forEach(k -> kafka.put(k, SECRET));
        } else {
          mask(v, inWebhook || name.equals("webhook_configs"));
        }
      }
    } else if (node instanceof ArrayNode a) {
      a.forEach(e -> mask(e, inWebhook));
    }
  }
}
