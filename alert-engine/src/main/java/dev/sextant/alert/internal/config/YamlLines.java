package dev.sextant.alert.internal.config;

import java.io.StringReader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The line of every key and list item of a YAML text, by path ({@code receivers[0].name}), so an
 * error about a key of a config given as text can name its line.
 */
public final class YamlLines {
  private final Map<String, Integer> lines = new HashMap<>();

  private YamlLines(String yaml) {
    Node root = new Yaml().compose(new StringReader(yaml));
    if (root != null) {
      walk(root, "");
    }
  }

  /** The lines of {@code yaml}; assumes it parses (load it first). */
  public static YamlLines of(String yaml) {
    return new YamlLines(yaml);
  }

  private void walk(Node n, String path) {
    if (n instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k) {
          String p = path.isEmpty() ? k.getValue() : path + "." + k.getValue();
          lines.put(p, k.getStartMark().getLine() + 1);
          walk(t.getValueNode(), p);
        }
      }
    } else if (n instanceof SequenceNode s) {
      List<Node> items = s.getValue();
      for (int i = 0; i < items.size(); i++) {
        String p = path + "[" + i + "]";
        lines.put(p, items.get(i).getStartMark().getLine() + 1);
        walk(items.get(i), p);
      }
    }
  }

  /**
   * {@code e} prefixed with {@code line N: } of the key its message starts with (or of the
   * nearest enclosing key); as is when no key is found.
   */
  public IllegalArgumentException locate(IllegalArgumentException e) {
    String m = e.getMessage();
    int colon = m == null ? -1 : m.indexOf(": ");
    if (colon <= 0) {
      return e;
    }
    for (String k = m.substring(0, colon); !k.isEmpty(); k = parent(k)) {
      Integer line = lines.get(k);
      if (line != null) {
        // Keep the cause callers look at (e.g. the invalid regex), not the wrapper.
        return new IllegalArgumentException("line " + line + ": " + m,
            e.getCause() != null ? e.getCause() : e);
      }
    }
    return e;
  }

  private static String parent(String key) {
    int cut = Math.max(key.lastIndexOf('.'), key.lastIndexOf('['));
    return cut <= 0 ? "" : key.substring(0, cut);
  }
}
