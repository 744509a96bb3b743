package dev.sextant.server.cluster;

import com.linecorp.armeria.server.VirtualHostBuilder;
import dev.sextant.server.tenancy.TenantStorage;
import dev.sextant.storage.Storage;

/**
 * The two places where cluster mode's read side plugs into the server, and the only two: the
 * store role's internal read API ({@code StoreReadService}, cluster module) and the storage the
 * query and alert roles read through when the node is not a store itself ({@code RemoteStorage},
 * fanning out to the stores). Until those exist the store serves no read API and a query or alert
 * node must also be a store (it then reads its own partitions).
 */
public final class ClusterReads {
  private ClusterReads() {}

  /** Mounts the store's internal read API on its HTTP port, over every tenant's store. */
  public static void mountStoreReadService(VirtualHostBuilder httpPort, TenantStorage tenants) {
    // MERGE POINT (h-read): mount StoreReadService here, e.g.
    //   httpPort.service(StoreReadService.of(tenants::forTenant));
    // Nothing to mount before it is merged.
  }

  /**
   * The storage the query and alert roles read when this node is not a store: every store's
   * partitions through the internal read API of {@code settings.stores()}.
   *
   * @throws IllegalStateException until the remote storage is merged
   */
  public static Storage queryStorage(ClusterSettings settings) {
    // MERGE POINT (h-read): return RemoteStorage over settings.stores(), e.g.
    //   return RemoteStorage.builder(settings.stores()).build();
    throw new IllegalStateException("cluster.roles " + settings.roles() + ": a query or alert "
        + "node that is not a store needs the stores' read API, which this build does not have "
        + "yet (add the store role to this node)");
  }
}
