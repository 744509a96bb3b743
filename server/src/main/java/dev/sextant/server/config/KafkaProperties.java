package dev.sextant.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A node's Kafka client settings: {@code cluster.kafka.propertiesFile} (a Kafka client properties
 * file, where secrets such as {@code sasl.jaas.config} belong), then
 * {@code cluster.kafka.properties}, whose keys override the file's.
 */
final class KafkaProperties {
  private KafkaProperties() {}

  /**
   * The merged settings; not checked here ({@code ClusterSettings} refuses reserved keys).
   *
   * @throws IllegalArgumentException naming {@code cluster.kafka.propertiesFile} when the file
   *     cannot be read
   */
  static Map<String, String> read(SextantConfig.KafkaConfig c) {
    Map<String, String> out = new TreeMap<>();
    if (c.propertiesFile != null && !c.propertiesFile.isBlank()) {
      Path file = Path.of(c.propertiesFile.strip());
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(r);
      } catch (IOException | IllegalArgumentException e) {
        throw new IllegalArgumentException("cluster.kafka.propertiesFile: " + file + ": "
            + e.getMessage() + " (expected: a readable Kafka client properties file)", e);
      }
      p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
    }
    if (c.properties != null) {
      c.properties.forEach((k, v) -> out.put(k, v == null ? "" : v));
    }
    return out;
  }
}
