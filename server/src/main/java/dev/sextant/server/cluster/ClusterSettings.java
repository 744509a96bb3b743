package dev.sextant.server.cluster;

import static java.util.Objects.requireNonNull;

import dev.sextant.cluster.KafkaConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A cluster node's settings: its roles and where Kafka is (docs/cluster.md). Validated on
 * construction.
 *
 * @param roles what this node runs, at least one
 * @param bootstrapServers Kafka's {@code host:port,...}
 * @param partitions partitions of each topic when this node creates them; never change it once
 *     data is in the topics (a trace's partition depends on it)
 * @param replicationFactor replicas of each topic when this node creates them
 * @param createTopics whether collectors and stores create missing topics at start
 * @param storeGroup the consumer group of the stores (a second group is a second replica)
 * @param instanceId this store's stable name in its group (Kafka's static membership,
 *     {@code group.instance.id}): a restarted store gets its own partitions back instead of
 *     rebuilding others; null: dynamic membership
 * @param advertisedUrl the URL other nodes reach this node's HTTP port at; null: none
 * @param stores the stores' HTTP URLs, for the query and alert roles' reads; empty: found through
 *     Kafka ({@link StoreDiscovery}) on a query or alert node that is not a store
 * @param internalToken the cluster's shared secret: stores require it on their internal read
 *     API ({@code Authorization: Bearer <token>}) and query and alert nodes send it; null: none,
 *     allowed only while the node listens on loopback (checked at start)
 * @param kafkaProperties Kafka client settings every client of the node gets (how to reach the
 *     brokers: {@code security.protocol}, {@code ssl.*}, {@code sasl.*}); the keys in
 *     {@link KafkaConnection#RESERVED} are refused
 */
public record ClusterSettings(Set<Role> roles, String bootstrapServers, int partitions,
    short replicationFactor, boolean createTopics, String storeGroup, @Nullable String instanceId,
    @Nullable String advertisedUrl, List<String> stores, @Nullable String internalToken,
    Map<String, String> kafkaProperties) {
  public static final int DEFAULT_PARTITIONS = 12;
  public static final String DEFAULT_STORE_GROUP = "sextant-store";

  public ClusterSettings {
    requireNonNull(roles, "roles");
    requireNonNull(bootstrapServers, "bootstrapServers");
    requireNonNull(storeGroup, "storeGroup");
    requireNonNull(stores, "stores");
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("cluster.roles: [] (expected: one or more of "
          + "collector, store, query, alert)");
    }
    roles = Set.copyOf(EnumSet.copyOf(roles));
    if (bootstrapServers.isBlank() || !bootstrapServers.matches("[^\\s,]+(,[^\\s,]+)*")) {
      throw new IllegalArgumentException("cluster.kafka.bootstrapServers: '" + bootstrapServers
          + "' (expected: host:port[,host:port...])");
    }
    if (partitions < 1 || partitions > 10_000) {
      throw new IllegalArgumentException("cluster.topics.partitions: " + partitions
          + " (expected: 1-10000)");
    }
    if (replicationFactor < 1 || replicationFactor > 16) {
      throw new IllegalArgumentException("cluster.topics.replicationFactor: "
          + replicationFactor + " (expected: 1-16)");
    }
    if (storeGroup.isBlank()) {
      throw new IllegalArgumentException("cluster.storeGroup: '' (expected: a consumer group)");
    }
    if (instanceId != null && !instanceId.matches("[A-Za-z0-9._-]{1,200}")) {
      // Kafka's rule for group.instance.id (a longer or odder name fails only at the first poll).
      throw new IllegalArgumentException("cluster.instanceId: '" + instanceId + "' (expected: 1-200 "
          + "letters, digits, '.', '_' or '-', e.g. store-1, or unset)");
    }
    if (advertisedUrl != null && !isHttpUrl(advertisedUrl)) {
      throw new IllegalArgumentException("cluster.advertisedUrl: '" + advertisedUrl
          + "' (expected: the URL other nodes reach this node's HTTP port at, e.g. "
          + "http://store-1:8686)");
    }
    stores = List.copyOf(stores);
    if (internalToken != null && internalToken.strip().length() < 16) {
      throw new IllegalArgumentException("cluster.internalToken: " + internalToken.strip().length()
          + " characters (expected: at least 16, e.g. from 'openssl rand -hex 32')");
    }
    internalToken = internalToken == null ? null : internalToken.strip();
    requireNonNull(kafkaProperties, "kafkaProperties");
    kafkaProperties.forEach((k, v) -> {
      try {
        KafkaConnection.check(k, v);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("cluster.kafka.properties." + e.getMessage(), e);
      }
    });
    kafkaProperties = Map.copyOf(new TreeMap<>(kafkaProperties));
  }

  /** Settings with a cluster token and no Kafka client settings of the user's. */
  public ClusterSettings(Set<Role> roles, String bootstrapServers, int partitions,
      short replicationFactor, boolean createTopics, String storeGroup, @Nullable String instanceId,
      @Nullable String advertisedUrl, List<String> stores, @Nullable String internalToken) {
    this(roles, bootstrapServers, partitions, replicationFactor, createTopics, storeGroup,
        instanceId, advertisedUrl, stores, internalToken, Map.of());
  }

  private static boolean isHttpUrl(String url) {
    try {
      URI u = new URI(url);
      return ("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
          && u.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** Settings without a cluster token (a loopback-only cluster). */
  public ClusterSettings(Set<Role> roles, String bootstrapServers, int partitions,
      short replicationFactor, boolean createTopics, String storeGroup, @Nullable String instanceId,
      @Nullable String advertisedUrl, List<String> stores) {
    this(roles, bootstrapServers, partitions, replicationFactor, createTopics, storeGroup,
        instanceId, advertisedUrl, stores, null, Map.of());
  }

  /** These settings with {@code token} as the cluster's shared secret. */
  public ClusterSettings withInternalToken(@Nullable String token) {
    return new ClusterSettings(roles, bootstrapServers, partitions, replicationFactor,
        createTopics, storeGroup, instanceId, advertisedUrl, stores, token, kafkaProperties);
  }

  /** As the record's, with the token masked: settings get logged. */
  @Override
  public String toString() {
    return "ClusterSettings[roles=" + roles + ", bootstrapServers=" + bootstrapServers
        + ", partitions=" + partitions + ", replicationFactor=" + replicationFactor
        + ", createTopics=" + createTopics + ", storeGroup=" + storeGroup + ", instanceId="
        + instanceId + ", advertisedUrl=" + advertisedUrl + ", stores=" + stores
        + ", internalToken=" + (internalToken == null ? "none" : "<secret>")
        // Values may hold passwords (sasl.jaas.config, ssl.*.password): keys only.
        + ", kafkaProperties=" + new TreeMap<>(kafkaProperties).keySet() + "]";
  }

  /** Settings with the defaults for everything but the roles and Kafka's address. */
  public static ClusterSettings of(Set<Role> roles, String bootstrapServers) {
    return new ClusterSettings(roles, bootstrapServers, DEFAULT_PARTITIONS, (short) 1, true,
        DEFAULT_STORE_GROUP, null, null, List.of(), null, Map.of());
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }
}
