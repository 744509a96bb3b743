package dev.sextant.cluster;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link RemoteStorage}. Only the stores are required. A store's URL is where its
 * {@link StoreReadService} is mounted, e.g. {@code http://store-1:8686/internal/v1/}; a URL
 * without a path gets {@value StoreReadService#DEFAULT_PREFIX}.
 */
public final class RemoteStorageBuilder {
  private Supplier<List<URI>> stores = List::of;
  private String tenant = StoreReadService.DEFAULT_TENANT;
  private Duration timeout = Duration.ofSeconds(10);
  private int partitions;
  private Duration ownershipTtl = Duration.ofSeconds(5);
  private long maxResponseBytes = 256L << 20;
  private @Nullable String token;

  RemoteStorageBuilder() {}

  /** A fixed list of stores. */
  public RemoteStorageBuilder stores(List<URI> stores) {
    List<URI> copy = List.copyOf(requireNonNull(stores, "stores"));
    this.stores = () -> copy;
    return this;
  }

  /**
   * The stores, asked again on every read: for a list that changes (a discovery that watches the
   * stores' consumer group). An empty list makes reads throw
   * {@link dev.sextant.storage.StorageException}.
   */
  public RemoteStorageBuilder stores(Supplier<List<URI>> stores) {
    this.stores = requireNonNull(stores, "stores");
    return this;
  }

  /** The tenant read, sent in {@link StoreReadService#TENANT_HEADER}; "default" by default. */
  public RemoteStorageBuilder tenant(String tenant) {
    requireNonNull(tenant, "tenant");
    if (tenant.isEmpty()) {
      throw new IllegalArgumentException("tenant: empty (expected: a tenant name)");
    }
    this.tenant = tenant;
    return this;
  }

  /**
   * How long a read waits for each store before reporting it and answering without it; 10 s by
   * default.
   */
  public RemoteStorageBuilder timeout(Duration timeout) {
    requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
    }
    this.timeout = timeout;
    return this;
  }

  /**
   * The partition count of {@link ClusterTopics#SPANS}, for sending a trace read to its owner
   * only; 0 (the default) sends it to every store.
   */
  public RemoteStorageBuilder partitions(int partitions) {
    if (partitions < 0) {
      throw new IllegalArgumentException("partitions: " + partitions + " (expected: >= 0)");
    }
    this.partitions = partitions;
    return this;
  }

  /** How long the stores' lists of owned partitions are trusted; 5 s by default. */
  public RemoteStorageBuilder ownershipTtl(Duration ownershipTtl) {
    requireNonNull(ownershipTtl, "ownershipTtl");
    if (ownershipTtl.isNegative()) {
      throw new IllegalArgumentException("ownershipTtl: " + ownershipTtl + " (expected: >= 0)");
    }
    this.ownershipTtl = ownershipTtl;
    return this;
  }

  /**
   * The largest answer taken from one store (256 MiB by default): a bigger one (a huge trace, a
   * select of very many series) fails that store's part with a warning rather than exhaust the
   * query node's memory.
   */
  public RemoteStorageBuilder maxResponseBytes(long maxResponseBytes) {
    if (maxResponseBytes < 1) {
      throw new IllegalArgumentException(
          "maxResponseBytes: " + maxResponseBytes + " (expected: > 0)");
    }
    this.maxResponseBytes = maxResponseBytes;
    return this;
  }

  /**
   * The cluster's shared secret, sent to every store as {@code Authorization: Bearer <token>}
   * (the store compares it with its own); null (the default) sends none, for stores whose read
   * API is open on loopback.
   */
  public RemoteStorageBuilder bearerToken(@Nullable String token) {
    if (token != null && token.isBlank()) {
      throw new IllegalArgumentException("bearerToken: blank (expected: the cluster token, or "
          + "null for none)");
    }
    this.token = token;
    return this;
  }

  public RemoteStorage build() {
    return new DefaultRemoteStorage(new StoreClients(stores, timeout, partitions, ownershipTtl,
        maxResponseBytes, token), tenant);
  }
}
