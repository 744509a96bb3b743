package dev.sextant.alert.internal.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The config as YAML with its secrets replaced by {@code <secret>}, as Alertmanager shows its
 * config in {@code /api/v2/status}: passwords, credentials, bearer tokens, PagerDuty keys and
 * webhook URLs (which often carry a token). File paths ({@code *_file}) are kept.
 */
final class SecretMask {
  static final String SECRET = "<secret>";
  private static final Set<String> SECRETS =
      Set.of("password", "credentials", "bearer_token", "routing_key", "service_key");

  private SecretMask() {}

  static String yaml(Map<?, ?> section) {
    DumperOptions o = new DumperOptions();
    o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    o.setIndicatorIndent(2);
    o.setIndentWithIndicator(true);
    return new Yaml(o).dump(mask(section, ""));
  }

  private static Object mask(Object v, String parent) {
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> {
        String key = String.valueOf(k);
        boolean secret = x != null && (SECRETS.contains(key)
            || key.equals("url") && parent.equals("webhook_configs"));
        out.put(key, secret ? SECRET : mask(x, key));
      });
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(mask(x, parent)));
      return out;
    }
    return v;
  }
}
