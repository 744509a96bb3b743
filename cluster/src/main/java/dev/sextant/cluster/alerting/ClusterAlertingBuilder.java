package dev.sextant.cluster.alerting;

import static java.util.Objects.requireNonNull;

import dev.sextant.cluster.KafkaConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;

/** Builds a {@link ClusterAlerting}; see {@link ClusterAlerting#builder}. */
public final class ClusterAlertingBuilder {
  final String bootstrapServers;
  final Path dataDir;
  final AlertEngineFactory engines;
  final Set<String> tenants = new LinkedHashSet<>();
  String electionTopic = AlertTopics.ELECTION;
  String stateTopic = AlertTopics.STATE;
  short replicationFactor = 1;
  Duration sessionTimeout = Duration.ofSeconds(10);
  Duration tickInterval = Duration.ofSeconds(1);
  Duration kafkaTimeout = Duration.ofSeconds(30);
  String nodeId = "sextant-alert";
  String advertisedUrl = "";
  final Map<String, Object> connection = new TreeMap<>();

  ClusterAlertingBuilder(String bootstrapServers, Path dataDir, AlertEngineFactory engines) {
    this.bootstrapServers = requireNonNull(bootstrapServers, "bootstrapServers");
    connection.put("bootstrap.servers", bootstrapServers);
    this.dataDir = requireNonNull(dataDir, "dataDir");
    this.engines = requireNonNull(engines, "engines");
  }

  /** Adds tenants this node evaluates when elected (at least one is required). */
  public ClusterAlertingBuilder tenants(Collection<String> tenants) {
    requireNonNull(tenants, "tenants").forEach(t -> this.tenants.add(requireNonNull(t, "tenant")));
    return this;
  }

  /** The election and state topics ({@link AlertTopics#ELECTION}, {@link AlertTopics#STATE}). */
  public ClusterAlertingBuilder topics(String election, String state) {
    this.electionTopic = requireNonNull(election, "election");
    this.stateTopic = requireNonNull(state, "state");
    return this;
  }

  /** Replicas of the topics when {@link ClusterAlerting#start()} creates them; 1 by default. */
  public ClusterAlertingBuilder replicationFactor(short replicationFactor) {
    this.replicationFactor = replicationFactor;
    return this;
  }

  /** The election's session timeout (see {@link LeaderElectionBuilder#sessionTimeout}); 10s. */
  public ClusterAlertingBuilder sessionTimeout(Duration timeout) {
    this.sessionTimeout = requireNonNull(timeout, "timeout");
    return this;
  }

  /**
   * How often a leader's engine is ticked (evaluates due groups, flushes due alert groups,
   * delivers due pages); 1s by default. Each tick first checks the lease.
   */
  public ClusterAlertingBuilder tickInterval(Duration interval) {
    this.tickInterval = requireNonNull(interval, "interval");
    return this;
  }

  /** How long Kafka calls (fencing, catching up, a state write) may block; 30s by default. */
  public ClusterAlertingBuilder kafkaTimeout(Duration timeout) {
    this.kafkaTimeout = requireNonNull(timeout, "timeout");
    return this;
  }

  /** This node's name in Kafka client ids; "sextant-alert" by default. */
  public ClusterAlertingBuilder nodeId(String nodeId) {
    this.nodeId = requireNonNull(nodeId, "nodeId");
    return this;
  }

  /**
   * The URL of this node's HTTP API as the other alert nodes and users reach it; a leader
   * publishes it (in its lease's offset commits) so that followers can name it
   * ({@link ClusterAlerting#leaderUrl}). "" by default: followers cannot name the leader.
   */
  public ClusterAlertingBuilder advertisedUrl(String url) {
    this.advertisedUrl = requireNonNull(url, "url");
    return this;
  }

  /**
   * A Kafka client setting for how to reach the brokers ({@code security.protocol},
   * {@code ssl.*}, {@code sasl.*}), given to every client of the role (its elections, state producers and readers, admin) before its own settings, which
   * win on a clash. {@code bootstrap.servers} comes from the builder's argument.
   */
  public ClusterAlertingBuilder connectionProperty(String name, Object value) {
    KafkaConnection.check(name, value);
    connection.put(name, value);
    return this;
  }

  /**
   * Builds the role; {@link ClusterAlerting#start()} starts it.
   *
   * @throws IllegalArgumentException when no tenant was given or a duration is not positive
   */
  public ClusterAlerting build() {
    if (tenants.isEmpty()) {
      throw new IllegalArgumentException("tenants: none (expected: at least one)");
    }
    positive("tickInterval", tickInterval);
    positive("kafkaTimeout", kafkaTimeout);
    if (replicationFactor < 1) {
      throw new IllegalArgumentException(
          "replicationFactor: " + replicationFactor + " (expected: > 0)");
    }
    return new DefaultClusterAlerting(this);
  }

  private static void positive(String name, Duration d) {
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
    }
  }
}
