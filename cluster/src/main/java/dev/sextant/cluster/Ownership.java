package dev.sextant.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which stores own which {@link ClusterTopics#SPANS} partition, as they last listed it (GET
 * {@code partitions}), trusted for a TTL. A store that does not answer the listing owns nothing
 * until the next one; a partition no store lists is unknown, and its reads go to every store.
 */
final class Ownership {
  private final StoreClients clients;
  private final int partitions;
  private final long ttlNanos;
  private Map<Integer, List<URI>> owners = Map.of();
  private List<URI> listed = List.of();
  private long fetchedAt;
  private boolean fetched;

  Ownership(StoreClients clients, int partitions, Duration ttl) {
    this.clients = clients;
    this.partitions = partitions;
    this.ttlNanos = ttl.toNanos();
  }

  /** The stores owning {@code traceId}'s partition now, or empty when unknown. */
  List<URI> owners(String traceId, String tenant) {
    if (partitions == 0) {
      return List.of();
    }
    int p = Partitioning.partition(Partitioning.traceKey(traceId), partitions);
    return current(tenant).getOrDefault(p, List.of());
  }

  private synchronized Map<Integer, List<URI>> current(String tenant) {
    List<URI> stores = clients.stores();
    long now = System.nanoTime();
    if (fetched && now - fetchedAt < ttlNanos && stores.equals(listed)) {
      return owners;
    }
    Map<URI, List<Integer>> byStore = clients.call(stores, "partitions", tenant, new byte[0],
        r -> {
          int n = r.readCount(2);
          List<Integer> out = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            String topic = r.readString();
            int partition = r.readVarInt();
            if (topic.equals(ClusterTopics.SPANS)) {
              out.add(partition);
            }
          }
          return out;
        }).results();
    Map<Integer, List<URI>> next = new HashMap<>();
    byStore.forEach((store, owned) -> owned.forEach(
        p -> next.computeIfAbsent(p, unused -> new ArrayList<>()).add(store)));
    owners = next;
    listed = stores;
    fetchedAt = now;
    fetched = true;
    return owners;
  }
}
