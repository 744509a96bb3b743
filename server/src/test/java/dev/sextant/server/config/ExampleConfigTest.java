package dev.sextant.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sextant.collector.limits.IngestLimits;
import dev.sextant.server.security.AccessPolicy;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The release's config files ({@code dist/src/config}) against the config classes, so that they
 * cannot go stale: the example names every key the loader accepts and no other (its optional
 * settings commented out count), and loads to the defaults; the hardened default loads with auth
 * on, the admin API off and the ports on loopback.
 */
class ExampleConfigTest {
  private static final Path CONFIG_DIR = Path.of("..", "dist", "src", "config");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  /** {@code key: value} or {@code - key: value} once a comment's {@code # } is removed. */
  private static final Pattern KEY_LINE =
      Pattern.compile("^( *)(- )?([a-z][A-Za-z0-9_]*|[a-z][a-z0-9-]*):(?: +(.*))?$");
  /** A list item written as a flow mapping: {@code - { name: x, role: read }}. */
  private static final Pattern FLOW_ITEM = Pattern.compile("^( *)- (\\{.*)$");
  private static final Pattern COMMENT = Pattern.compile("^( *)# ?(.*)$");

  @Test
  void example_namesEveryAcceptedKeyAndNoOther() throws Exception {
    Model model = new Model();
    model.walk("", YAML.constructType(SextantConfig.class));
    Set<String> shown = keysOf(Files.readAllLines(CONFIG_DIR.resolve("sextant.example.yml")),
        model);
    assertThat(new TreeSet<>(model.keys)).as("keys the loader accepts, missing from the "
        + "example: %s", difference(model.keys, shown)).isSubsetOf(shown);
    assertThat(new TreeSet<>(shown)).as("keys in the example the loader does not accept: %s",
        difference(shown, model.keys)).isSubsetOf(model.keys);
    assertThat(model.keys).contains("ports.grpc", "scrapeConfigs[].static_configs[].targets",
        "rateLimits.tenants.*.metrics.burst", "auth.tokens[].sha256", "alerting.notifier");
  }

  @Test
  void example_asItIsLoadsToTheDefaults() throws Exception {
    SextantConfig example = ConfigLoader.load(CONFIG_DIR.resolve("sextant.example.yml"),
        Map.of());
    ConfigValidator.validate(example);
    SextantConfig defaults = new SextantConfig();
    // The file spells out the values that the classes leave at 0 for "the default".
    IngestLimits shown = ConfigMapper.limits(example.limits);
    IngestLimits byDefault = ConfigMapper.limits(defaults.limits);
    for (Method m : IngestLimits.class.getMethods()) {
      if (m.getDeclaringClass() == IngestLimits.class && m.getParameterCount() == 0
          && m.getReturnType() == int.class) {
        assertThat(m.invoke(shown)).as(m.getName()).isEqualTo(m.invoke(byDefault));
      }
    }
    assertThat(example.ingest.queueBytes).isEqualTo(256L << 20);
    assertThat(ConfigMapper.tenantLimits(example.tenantLimits).forTenant("t"))
        .isEqualTo(ConfigMapper.tenantLimits(defaults.tenantLimits).forTenant("t"));
    for (SextantConfig c : new SextantConfig[] {example, defaults}) {
      c.limits = new SextantConfig.Limits();
      c.ingest = new SextantConfig.Ingest();
      c.tenantLimits = new SextantConfig.TenantLimitsConfig();
    }
    assertThat(ConfigYaml.masked(example)).isEqualTo(ConfigYaml.masked(defaults));
  }

  @Test
  void hardened_authOnAdminOffLoopbackTokensFromTheEnvironment() {
    SextantConfig c = ConfigLoader.load(CONFIG_DIR.resolve("sextant.yml"), Map.of(
        "SEXTANT_ADMIN_TOKEN", "admin-0123456789abcdef", "SEXTANT_READ_TOKEN",
        "read-0123456789abcdef", "SEXTANT_INGEST_TOKEN", "ingest-0123456789abcdef"));
    ConfigValidator.validate(c);
    assertThat(c.auth.enabled).isTrue();
    assertThat(c.auth.enableAdminApi).isFalse();
    assertThat(c.bindAddress).isEqualTo("127.0.0.1");
    assertThat(c.dataDir).isEqualTo("/var/lib/sextant");
    AccessPolicy policy = c.auth.toPolicy();
    assertThat(policy.enabled()).isTrue();
    assertThat(ConfigYaml.masked(c)).doesNotContain("0123456789abcdef");
  }

  private static Set<String> difference(Set<String> a, Set<String> b) {
    Set<String> d = new TreeSet<>(a);
    d.removeAll(b);
    return d;
  }

  /** Key paths of a YAML file, settings commented out included, normalized by {@code model}. */
  static Set<String> keysOf(List<String> lines, Model model) throws Exception {
    Set<String> keys = new TreeSet<>();
    Deque<int[]> indents = new ArrayDeque<>(); // parallel to paths
    Deque<String> paths = new ArrayDeque<>();
    for (String raw : lines) {
      String line = raw;
      Matcher c = COMMENT.matcher(raw);
      if (c.matches()) {
        line = c.group(1) + c.group(2);
      }
      Matcher flow = FLOW_ITEM.matcher(line);
      if (flow.matches()) {
        int indent = flow.group(1).length();
        while (!indents.isEmpty() && indents.peek()[0] >= indent) {
          indents.pop();
          paths.pop();
        }
        addFlow(YAML.readTree(flow.group(2)), (paths.isEmpty() ? "" : paths.peek()) + "[]",
            model, keys);
        continue;
      }
      Matcher m = KEY_LINE.matcher(line);
      if (line.isBlank() || !m.matches()) {
        continue; // prose, or a value continuing the line above
      }
      int indent = m.group(1).length();
      boolean item = m.group(2) != null;
      while (!indents.isEmpty() && indents.peek()[0] >= indent) {
        indents.pop();
        paths.pop();
      }
      String parent = paths.isEmpty() ? "" : paths.peek();
      if (item) {
        parent = parent + "[]";
        indents.push(new int[] {indent});
        paths.push(parent);
        indent += 2;
      }
      String path = model.child(parent, m.group(3));
      if (path == null) {
        continue; // under a free-form section (the notifier's Alertmanager shape)
      }
      keys.add(path);
      indents.push(new int[] {indent});
      paths.push(path);
      String value = m.group(4);
      if (value != null && (value.startsWith("{") || value.startsWith("["))) {
        addFlow(YAML.readTree(value), path, model, keys);
      }
    }
    return keys;
  }

  private static void addFlow(JsonNode node, String path, Model model, Set<String> keys) {
    if (node.isArray()) {
      node.forEach(e -> {
        if (e.isObject()) {
          addFlow(e, path + "[]", model, keys);
        }
      });
    } else if (node.isObject()) {
      node.fields().forEachRemaining(f -> {
        String child = model.child(path, f.getKey());
        if (child != null) {
          keys.add(child);
          addFlow(f.getValue(), child, model, keys);
        }
      });
    }
  }

  /** The keys the loader accepts, from Jackson's view of the config classes. */
  static final class Model {
    final Set<String> keys = new TreeSet<>();
    /** Maps whose keys are names (tenants): any key stands for {@code *}. */
    final Set<String> namedMaps = new TreeSet<>();
    /** Sections taken as they are (the notifier): nothing under them is a config key. */
    final Set<String> freeForm = new TreeSet<>();

    void walk(String prefix, JavaType type) {
      BeanDescription bean = YAML.getDeserializationConfig().introspect(type);
      for (BeanPropertyDefinition p : bean.findProperties()) {
        if (!p.hasField() && !p.hasSetter()) {
          continue;
        }
        String path = prefix.isEmpty() ? p.getName() : prefix + "." + p.getName();
        keys.add(path);
        JavaType t = p.getPrimaryType();
        if (t.isMapLikeType()) {
          if (isConfigClass(t.getContentType())) {
            namedMaps.add(path);
            keys.add(path + ".*");
            walk(path + ".*", t.getContentType());
          } else {
            freeForm.add(path);
          }
        } else if (t.isCollectionLikeType()) {
          if (isConfigClass(t.getContentType())) {
            walk(path + "[]", t.getContentType());
          }
        } else if (isConfigClass(t)) {
          walk(path, t);
        }
      }
    }

    /** The path of {@code key} under {@code parent}, or null under a free-form section. */
    String child(String parent, String key) {
      for (String f : freeForm) {
        if (parent.equals(f) || parent.startsWith(f + ".") || parent.startsWith(f + "[")) {
          return null;
        }
      }
      if (namedMaps.contains(parent)) {
        return parent + ".*";
      }
      return parent.isEmpty() ? key : parent + "." + key;
    }

    private static boolean isConfigClass(JavaType t) {
      return t.getRawClass().getName().startsWith("dev.sextant.server.");
    }
  }
}
