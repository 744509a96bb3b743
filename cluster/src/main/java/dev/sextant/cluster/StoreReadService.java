package dev.sextant.cluster;

import com.linecorp.armeria.server.HttpService;
import dev.sextant.storage.Storage;
import java.util.function.Function;

/**
 * The store role's internal read API: the read side of a store node's {@link Storage}, per
 * tenant, for the query role's {@link RemoteStorage}. Mount it under a prefix on the store's HTTP
 * port, {@value #DEFAULT_PREFIX} by convention:
 *
 * <pre>{@code
 * sb.serviceUnder("/internal/v1/", StoreReadService.builder(tenantStorage::forTenant)
 *     .partitions(consumer::assignment).build());
 * }</pre>
 *
 * <p>Each call is a {@code POST <prefix><call>} ({@code trace}, {@code search},
 * {@code services}, {@code span-names}, {@code logs}, {@code select}, {@code label-names},
 * {@code label-values}, {@code metadata}) whose tenant is in the {@value #TENANT_HEADER} header
 * and whose body and answer are in the versioned binary format of docs/cluster-reads.md;
 * {@code GET <prefix>partitions} lists the Kafka partitions the node owns now. The pin calls
 * ({@code pin}, {@code unpin}, {@code pins}, {@code resolve}) write and list the tenant's pinned
 * set ({@link dev.sextant.storage.Pins}) for the alert and query roles; a store at its pin limit
 * answers 429, a storage that keeps no pins 501. Answers: 200 with
 * the result; 400 with a text message for a bad call (a field out of range, a body that does not
 * decode, an unknown tenant refused by the function), which the client rethrows as
 * {@link IllegalArgumentException}; 404 for an unknown call; 503 when the store cannot read
 * (closed, over its budget), which the client reports as a partial result. Reads run on the
 * request's blocking executor.
 *
 * <p>The API has no authentication of its own: the server puts the cluster token in front of it
 * ({@code Authorization: Bearer <token>}, which {@link RemoteStorageBuilder#bearerToken} sends);
 * expose the port to the cluster's network only in any case.
 */
public interface StoreReadService extends HttpService {
  /** The header naming the tenant of a call; absent means {@value #DEFAULT_TENANT}. */
  String TENANT_HEADER = "sextant-tenant";
  /** The tenant of a call without {@link #TENANT_HEADER}. */
  String DEFAULT_TENANT = "default";
  /** Where the server mounts the service by convention, and the client's default path. */
  String DEFAULT_PREFIX = "/internal/v1/";

  /** Serves {@code tenants.apply(t)} for tenant {@code t}, owning no partitions. */
  static StoreReadService of(Function<String, Storage> tenants) {
    return builder(tenants).build();
  }

  /** A builder serving {@code tenants.apply(t)} for tenant {@code t}. */
  static StoreReadServiceBuilder builder(Function<String, Storage> tenants) {
    return new StoreReadServiceBuilder(tenants);
  }
}
