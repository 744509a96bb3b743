package dev.sextant.cluster;

import dev.sextant.storage.ReadWarnings;
import dev.sextant.storage.Storage;
import java.net.URI;
import java.util.List;

/**
 * The query role's storage: the read side of {@link Storage} over the store nodes'
 * {@link StoreReadService}s, for one tenant. Hand it (or a {@link #forTenant} view) to the query
 * API as its storage.
 *
 * <p>Routing: a trace read goes to the stores that own the trace's {@link ClusterTopics#SPANS}
 * partition ({@link Partitioning}, as each store lists its partitions, cached briefly), and to
 * every store when no store claims it or the partition count is not configured; every other read
 * fans out to every store at once and merges: spans deduplicated by span ID, trace summaries by
 * trace ID (the one over more spans wins), log records merge-sorted newest first (a record
 * found equal on two stores, a replica's copy, kept once), series unioned by labels with their
 * samples merged by timestamp, names unioned. Limits apply after the merge. Log paging works
 * across stores: the cursor carries each store's position.
 *
 * <p>Partial results: a store that fails or does not answer within the timeout is left out of
 * the answer and reported through {@link ReadWarnings} ({@code "partial result: store <url>
 * ..."}), which the query API puts in its responses' {@code warnings}. A read that no store
 * answered throws {@link dev.sextant.storage.StorageException}. A store that refuses a call as
 * bad (HTTP 400) fails the read with {@link IllegalArgumentException} carrying its message.
 *
 * <p>Pins ({@link #pins()}) go to every store: a pin, an unpin and a resolve are made on each
 * (each store copies what it holds of the target), the list is merged by pin ID; see
 * {@link dev.sextant.storage.Pins} and docs/cluster-reads.md. Trace and log reads find the
 * pinned copies of the stores that own the trace's partition as they find the rest.
 *
 * <p>Writes are refused: the writers' futures fail with {@link UnsupportedOperationException}
 * (the collector role writes through Kafka). Closing closes the clients, and every
 * {@link #forTenant} view with them; reads then throw
 * {@link dev.sextant.storage.StorageException}. Reads block the calling thread (at most about the
 * timeout), so call them off event loops.
 */
public interface RemoteStorage extends Storage {
  /** A builder over the stores whose read APIs are at {@code stores}. */
  static RemoteStorageBuilder builder(List<URI> stores) {
    return new RemoteStorageBuilder().stores(stores);
  }

  /** A builder; set the stores with {@link RemoteStorageBuilder#stores}. */
  static RemoteStorageBuilder builder() {
    return new RemoteStorageBuilder();
  }

  /** The tenant whose data this storage reads. */
  String tenant();

  /** A view reading {@code tenant}'s data through the same clients. */
  RemoteStorage forTenant(String tenant);
}
