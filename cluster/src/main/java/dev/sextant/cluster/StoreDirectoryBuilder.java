package dev.sextant.cluster;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Builds a {@link StoreDirectory}. */
public final class StoreDirectoryBuilder {
  final String bootstrapServers;
  String topic = ClusterTopics.STORES;
  Duration refreshInterval = Duration.ofSeconds(3);
  Set<String> zones = Set.of();
  String clientId = "sextant-store-directory";
  final Map<String, Object> overrides = new HashMap<>();

  StoreDirectoryBuilder(String bootstrapServers) {
    this.bootstrapServers = requireNonNull(bootstrapServers, "bootstrapServers");
    if (bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("bootstrapServers: '' (expected: host:port,...)");
    }
  }

  /** The topic read; {@link ClusterTopics#STORES} by default (tests use their own). */
  public StoreDirectoryBuilder topic(String topic) {
    this.topic = requireNonNull(topic, "topic");
    return this;
  }

  /** How often the stores' group membership is checked; 3 s by default. */
  public StoreDirectoryBuilder refreshInterval(Duration refreshInterval) {
    requireNonNull(refreshInterval, "refreshInterval");
    if (refreshInterval.toMillis() < 100) {
      throw new IllegalArgumentException(
          "refreshInterval: " + refreshInterval + " (expected: >= 100ms)");
    }
    this.refreshInterval = refreshInterval;
    return this;
  }

  /** Only the stores of these groups (zones); empty (the default) lists every group's stores. */
  public StoreDirectoryBuilder zones(Set<String> zones) {
    this.zones = Set.copyOf(requireNonNull(zones, "zones"));
    return this;
  }

  public StoreDirectoryBuilder clientId(String clientId) {
    this.clientId = requireNonNull(clientId, "clientId");
    return this;
  }

  /**
   * A setting of the directory's consumer and admin client (security); the group, offsets and
   * deserializers are fixed.
   */
  public StoreDirectoryBuilder clientProperty(String name, Object value) {
    overrides.put(requireNonNull(name, "name"), requireNonNull(value, "value"));
    return this;
  }

  public StoreDirectory build() {
    return new DefaultStoreDirectory(this);
  }
}
