package dev.sextant.cluster;

import java.net.URI;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A store's announcement of itself on {@link ClusterTopics#STORES}, for {@link StoreDirectory}:
 * its URL, its consumer group (its zone) and the group member id of its {@link StoreConsumer}
 * (docs/cluster-record-format.md, "Store announcements"). The record is keyed by group and the
 * store's name, so a restarted or moved store replaces its own entry.
 *
 * <p>It announces as soon as the consumer has a member id, again whenever the member id changes
 * (a rejoin after a lost session, a restart), and every {@link StoreAnnouncerBuilder#interval}
 * (so a deleted and re-created topic fills again). Nothing is announced while the consumer is out
 * of its group: a directory then stops trusting the last announcement by itself, because its
 * member id is no longer in the group. {@link #close()} writes a tombstone, so a store stopped
 * cleanly disappears at once rather than when it leaves its group. Failures to write are logged
 * and retried at the next tick; they never stop the store.
 */
public interface StoreAnnouncer extends AutoCloseable {
  /**
   * A store named {@code name} (its {@code group.instance.id}, or another name unique in its
   * group) of consumer group {@code storeGroup}, reached at {@code url}, whose consumer's current
   * member id {@code memberId} gives (null while it has none, e.g.
   * {@link StoreConsumer#memberId()}).
   */
  static StoreAnnouncerBuilder builder(String bootstrapServers, String storeGroup, String name,
      URI url, Supplier<@Nullable String> memberId) {
    return new StoreAnnouncerBuilder(bootstrapServers, storeGroup, name, url, memberId);
  }

  /** Starts announcing, on a thread of its own. */
  void start();

  /** Announcements Kafka acknowledged so far. */
  long announcements();

  /**
   * Stops announcing and writes a tombstone for this store (waiting up to 5 seconds for Kafka to
   * take it; a store that cannot write it is dropped by the directories when its consumer leaves
   * the group).
   */
  @Override
  void close();
}
