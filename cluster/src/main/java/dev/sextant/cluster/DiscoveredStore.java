package dev.sextant.cluster;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A store a {@link StoreDirectory} found: announced on {@link ClusterTopics#STORES} and, when last
 * checked, a member of its consumer group.
 *
 * @param url its HTTP port as it advertised it (the read API is below it, under
 *     {@value StoreReadService#DEFAULT_PREFIX})
 * @param zone its consumer group: stores of one group hold every partition once, a second group
 *     is a second replica
 * @param name its name in the group (its {@code group.instance.id} or another unique name)
 * @param memberId the member id of its consumer in the group
 * @param instanceId its {@code group.instance.id}, null with dynamic membership
 * @param startedAt when it started announcing
 */
public record DiscoveredStore(URI url, String zone, String name, String memberId,
    @Nullable String instanceId, Instant startedAt) {
  public DiscoveredStore {
    requireNonNull(url, "url");
    requireNonNull(zone, "zone");
    requireNonNull(name, "name");
    requireNonNull(memberId, "memberId");
    requireNonNull(startedAt, "startedAt");
  }
}
