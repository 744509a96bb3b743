package dev.sextant.cluster.alerting;

import static java.util.Objects.requireNonNull;

import dev.sextant.cluster.KafkaConnection;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** Builds a {@link LeaderElection}; see {@link LeaderElection#builder}. */
public final class LeaderElectionBuilder {
  final String bootstrapServers;
  final String topic;
  final String groupId;
  final LeadershipListener listener;
  Duration sessionTimeout = Duration.ofSeconds(10);
  String clientId = "sextant-alert";
  String leaderInfo = "";
  final Map<String, Object> connection = new TreeMap<>();

  LeaderElectionBuilder(String bootstrapServers, String topic, String groupId,
      LeadershipListener listener) {
    this.bootstrapServers = requireNonNull(bootstrapServers, "bootstrapServers");
    connection.put("bootstrap.servers", bootstrapServers);
    this.topic = requireNonNull(topic, "topic");
    this.groupId = requireNonNull(groupId, "groupId");
    this.listener = requireNonNull(listener, "listener");
  }

  /**
   * The group session timeout (10s by default): a crashed leader is replaced after about this
   * long, and a cut-off leader stops within 2/3 of it. Must be within the broker's
   * {@code group.min.session.timeout.ms} and {@code group.max.session.timeout.ms}; at least
   * 300ms.
   */
  public LeaderElectionBuilder sessionTimeout(Duration timeout) {
    this.sessionTimeout = requireNonNull(timeout, "timeout");
    return this;
  }

  /** The Kafka client id prefix (the node's name in broker logs); "sextant-alert" by default. */
  public LeaderElectionBuilder clientId(String clientId) {
    this.clientId = requireNonNull(clientId, "clientId");
    return this;
  }

  /**
   * What this member tells the others about itself while it leads (e.g. the URL of its HTTP
   * API), at most 1000 characters; "" by default. It travels as the metadata of the lease's
   * offset commits: the group's committed offset metadata names the last leader (see
   * {@link ClusterAlerting#leaderUrl}).
   */
  public LeaderElectionBuilder leaderInfo(String info) {
    requireNonNull(info, "info");
    if (info.length() > 1000) {
      throw new IllegalArgumentException("leaderInfo: " + info.length()
          + " characters (expected: <= 1000)");
    }
    this.leaderInfo = info;
    return this;
  }

  /**
   * A Kafka client setting for how to reach the brokers ({@code security.protocol},
   * {@code ssl.*}, {@code sasl.*}), given to every client of the election before its own settings, which
   * win on a clash. {@code bootstrap.servers} comes from the builder's argument.
   */
  public LeaderElectionBuilder connectionProperty(String name, Object value) {
    KafkaConnection.check(name, value);
    connection.put(name, value);
    return this;
  }

  /**
   * Builds the election; {@link LeaderElection#start()} joins.
   *
   * @throws IllegalArgumentException when the session timeout is below 300ms
   */
  public LeaderElection build() {
    if (sessionTimeout.toMillis() < 300) {
      throw new IllegalArgumentException("sessionTimeout: " + sessionTimeout
          + " (expected: >= PT0.3S)");
    }
    return new DefaultLeaderElection(this);
  }
}
