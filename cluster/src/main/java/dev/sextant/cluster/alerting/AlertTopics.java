package dev.sextant.cluster.alerting;

import static java.util.Objects.requireNonNull;

import dev.sextant.cluster.ClusterTopics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The alert role's two topics: the election topic (one partition, never written; each tenant's
 * consumer group assigns its partition 0 to the tenant's leader) and the compacted state topic
 * (one partition, keyed per tenant and entry; see docs/cluster-alerting.md for the format).
 */
public final class AlertTopics {
  public static final String ELECTION = "sextant.alert.election";
  public static final String STATE = "sextant.alert.state";

  private AlertTopics() {}

  /**
   * Creates {@code election} and {@code state} with one partition and {@code replicationFactor}
   * replicas each; topics that exist are left as they are.
   *
   * @throws IllegalArgumentException when {@code replicationFactor} is < 1
   */
  public static void create(Admin admin, String election, String state, short replicationFactor)
      throws InterruptedException, TimeoutException {
    requireNonNull(admin, "admin");
    requireNonNull(election, "election");
    requireNonNull(state, "state");
    if (replicationFactor < 1) {
      throw new IllegalArgumentException(
          "replicationFactor: " + replicationFactor + " (expected: > 0)");
    }
    String isr = String.valueOf(Math.min(2, (int) replicationFactor));
    List<NewTopic> topics = new ArrayList<>();
    topics.add(new NewTopic(election, 1, replicationFactor)
        .configs(Map.of("min.insync.replicas", isr)));
    // Compacted: the latest value per key is the state. Hourly segments so that compaction (which
    // never touches the active segment) keeps the topic near the state's size.
    topics.add(new NewTopic(state, 1, replicationFactor).configs(Map.of(
        "cleanup.policy", "compact", "min.insync.replicas", isr, "segment.ms", "3600000")));
    ClusterTopics.createMissing(admin, topics);
  }
}
