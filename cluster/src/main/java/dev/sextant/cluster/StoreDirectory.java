package dev.sextant.cluster;

import java.net.URI;
import java.util.List;

/**
 * The stores of the cluster as Kafka knows them, for query and alert nodes that are not stores:
 * what {@link StoreAnnouncer}s wrote on {@link ClusterTopics#STORES}, trusted only while the
 * announcing store's consumer is a live member of its group. Plug it into
 * {@link RemoteStorageBuilder#stores(java.util.function.Supplier)} with {@code directory::urls}.
 *
 * <p>On its own thread it reads the topic from the beginning without a consumer group (every
 * partition assigned, nothing committed) and keeps the latest announcement per key; a tombstone
 * removes one. Every {@link StoreDirectoryBuilder#refreshInterval} (and at once when an
 * announcement names a member it has not seen) it describes the announced groups
 * ({@code Admin.describeConsumerGroups}) and lists only the stores whose announced member id is in
 * its group. So a store that is stopped cleanly disappears at once (tombstone); one that crashed
 * when Kafka's session timeout drops its consumer from the group (the store group's
 * {@code session.timeout.ms}, 10 s by default) plus up to one refresh; a store that is added or
 * moved (a new URL under the same name) appears when it has joined its group and announced.
 *
 * <p>A record that does not decode (no key, a garbled value, another version) is skipped, logged
 * and counted ({@link #skippedRecords()}), never fatal. While Kafka cannot be reached the last
 * known stores are kept (the stores may well be up); before the first membership check the list
 * is empty. A missing topic is waited for.
 */
public interface StoreDirectory extends AutoCloseable {
  /** A directory reading {@link ClusterTopics#STORES} at {@code bootstrapServers}. */
  static StoreDirectoryBuilder builder(String bootstrapServers) {
    return new StoreDirectoryBuilder(bootstrapServers);
  }

  /** Starts reading, on a thread of its own. */
  void start();

  /** The stores trusted now, sorted by zone then URL; empty before the first check. */
  List<DiscoveredStore> stores();

  /** The distinct URLs of {@link #stores()}, in its order. */
  List<URI> urls();

  /** Announcements held, trusted or not (each store's latest, until its tombstone). */
  int announced();

  /** Records of the topic skipped as undecodable so far. */
  long skippedRecords();

  /** Stops the thread and closes the Kafka clients. */
  @Override
  void close();
}
