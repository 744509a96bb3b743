package dev.sextant.cluster;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The topics of cluster mode, one per signal. A topic's partition count must never change once
 * data is in it: the partition of a trace or series is {@link Partitioning#partition} of its key
 * modulo the count, so a new count would split traces across partitions (and stores).
 */
public final class ClusterTopics {
  public static final String SPANS = "sextant.spans";
  public static final String LOGS = "sextant.logs";
  public static final String METRICS = "sextant.metrics";
  public static final List<String> ALL = List.of(SPANS, LOGS, METRICS);
  /**
   * The stores' announcements (compacted, one partition; {@link StoreAnnouncer},
   * {@link StoreDirectory}). Not a signal: not in {@link #ALL}, not consumed by the stores.
   */
  public static final String STORES = "sextant.stores";

  private ClusterTopics() {}

  /**
   * Creates the three topics with {@code partitions} partitions and {@code replicationFactor}
   * replicas each (those that exist are left as they are), with {@code min.insync.replicas} of
   * {@code min(2, replicationFactor)} so that {@code acks=all} means two copies where there are,
   * and {@link #STORES} as {@link #storesTopic} makes it.
   *
   * @throws IllegalArgumentException when {@code partitions} or {@code replicationFactor} is < 1
   */
  public static void create(Admin admin, int partitions, short replicationFactor)
      throws InterruptedException, TimeoutException {
    requireNonNull(admin, "admin");
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions: " + partitions + " (expected: > 0)");
    }
    if (replicationFactor < 1) {
      throw new IllegalArgumentException(
          "replicationFactor: " + replicationFactor + " (expected: > 0)");
    }
    Map<String, String> config = Map.of("min.insync.replicas",
        String.valueOf(Math.min(2, (int) replicationFactor)));
    List<NewTopic> topics = new ArrayList<>();
    for (String name : ALL) {
      topics.add(new NewTopic(name, partitions, replicationFactor).configs(config));
    }
    topics.add(storesTopic(replicationFactor));
    createMissing(admin, topics);
  }

  /**
   * {@link #STORES} as nodes create it: one partition (announcements are few, and one partition
   * keeps them in order), compacted (the latest announcement of each store is kept, a tombstone
   * removes it), with hour-long segments so that compaction keeps the topic small.
   */
  public static NewTopic storesTopic(short replicationFactor) {
    return new NewTopic(STORES, 1, replicationFactor).configs(Map.of(
        "cleanup.policy", "compact",
        "segment.ms", "3600000",
        "min.insync.replicas", String.valueOf(Math.min(2, (int) replicationFactor))));
  }

  /**
   * Creates those of {@code topics} that do not exist yet, as given; topics that exist are left
   * as they are (their partitions and configs are not checked), and a topic another node created
   * meanwhile is not an error. Every cluster topic is created through here (the signals' and the
   * alert role's).
   *
   * @throws TimeoutException when listing or creating took more than 30 seconds
   * @throws IllegalStateException when Kafka refused to list or create them
   */
  public static void createMissing(Admin admin, List<NewTopic> topics)
      throws InterruptedException, TimeoutException {
    requireNonNull(admin, "admin");
    List<NewTopic> missing = new ArrayList<>(requireNonNull(topics, "topics"));
    Set<String> existing;
    try {
      existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("listing topics failed: " + e.getCause(), e.getCause());
    }
    missing.removeIf(t -> existing.contains(t.name()));
    if (missing.isEmpty()) {
      return;
    }
    try {
      admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("creating topics failed: " + e.getCause(), e.getCause());
      }
    }
  }
}
