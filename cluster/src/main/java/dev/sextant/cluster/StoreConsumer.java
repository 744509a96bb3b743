package dev.sextant.cluster;

import dev.sextant.storage.Storage;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * The store role's consumer: one member of a Kafka consumer group over {@link ClusterTopics},
 * on a thread of its own. Each poll's records are decoded, written to the store of the tenant
 * named in each record (spans, logs and samples of one tenant in one write per signal), and only
 * once every write is durable (storage's futures completed) are the poll's offsets committed
 * ({@code commitSync}). A store that dies between the write and the commit is replayed from the
 * last commit by the member that takes its partitions: spans (trace and span ID) and samples
 * (series and timestamp) are written again without duplicates. Log records are written with each
 * partition's next offset in the same atomic write ({@code SourcePositions}, when the tenant's
 * storage keeps them), and a record below its tenant's stored offset is not written again: a
 * store replaying what it already held stores no log record twice. With
 * {@link StoreConsumerBuilder#localOffsets} a member resumes from offsets of its own, not the
 * group's, and rebuilds a partition it never had from the beginning (docs/cluster.md).
 *
 * <p>A write that fails retryably (overload, timeout, an I/O error) is retried: the poll's
 * partitions are rewound to their last commit and polled again after a back-off, so nothing is
 * committed past an unwritten record. A record that cannot be stored at all (garbled, no tenant,
 * refused by storage as invalid, a tenant the function refuses) is skipped, logged and counted.
 * A record in a newer format version than this code reads stops the consumer without committing
 * it ({@link #failure()}): upgrade stores before collectors.
 */
public interface StoreConsumer extends AutoCloseable {
  /**
   * A member of {@code groupId} at {@code bootstrapServers} writing tenant {@code t}'s records
   * into {@code tenants.apply(t)} (the server passes its tenant storage's {@code forTenant}).
   */
  static StoreConsumerBuilder builder(String bootstrapServers, String groupId,
      Function<String, Storage> tenants) {
    return new StoreConsumerBuilder(bootstrapServers, groupId, tenants);
  }

  /** Subscribes and starts consuming on its own thread. */
  void start();

  /** The partitions assigned to this member now (empty before the first assignment). */
  Set<TopicPartition> assignment();

  /**
   * The member id the group gave this member at its last assignment (Kafka's
   * {@code ConsumerGroupMetadata.memberId()}), or null before it and after the member lost or
   * left the group. {@link StoreAnnouncer} announces it, so that a {@link StoreDirectory} trusts
   * the announcement only while this member is in the group.
   */
  @Nullable String memberId();

  /** The offsets this member committed last, per partition (the next offset to read). */
  Map<TopicPartition, Long> committed();

  /** Records written to storage and committed so far. */
  long appliedRecords();

  /** Records skipped as unstorable so far (see the class comment). */
  long skippedRecords();

  /**
   * Log records read again (a replay after a crash or a failed write) and not written, because
   * their tenant's store already held them.
   */
  long replayedRecords();

  /**
   * Per assigned partition, the records between this member's position and the partition's end
   * as of its last poll (Kafka's {@code currentLag}); absent while unknown.
   */
  Map<TopicPartition, Long> lag();

  /** What stopped the consumer, or null while it runs or after a clean {@link #close}. */
  @Nullable Throwable failure();

  /**
   * Stops: the write in progress finishes and is committed, the member leaves the group (its
   * partitions move at once), the thread ends. The storages are the caller's to close, after
   * this.
   */
  @Override
  void close();
}
