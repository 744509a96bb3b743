package dev.sextant.server.cluster;

import static java.util.Objects.requireNonNull;

import dev.sextant.cluster.RemoteStorage;
import dev.sextant.server.tenancy.TenantContext;
import dev.sextant.server.tenancy.TenantRoutedStorage;

/**
 * The query and alert roles' storage on a node that is not a store: every read goes to the
 * stores through {@code remote}, as the tenant of the request being served
 * ({@link TenantContext#current()}; the default tenant outside requests), as
 * {@link dev.sextant.server.tenancy.TenantStorage} does on a store. Writes are refused (the
 * collector role writes through Kafka). Pins are the stores' ({@link RemoteStorage#pins()}): the
 * pin API and UI of a query node list, pin and unpin on every store, as the request's tenant.
 * Closing closes {@code remote}.
 */
final class TenantRemoteStorage extends TenantRoutedStorage {
  private final RemoteStorage remote;

  TenantRemoteStorage(RemoteStorage remote) {
    this.remote = requireNonNull(remote, "remote");
  }

  @Override
  protected RemoteStorage current() {
    return forTenant(TenantContext.current());
  }

  /** {@code tenant}'s view of the stores, whatever the current request's tenant. */
  RemoteStorage forTenant(String tenant) {
    return tenant.equals(remote.tenant()) ? remote : remote.forTenant(tenant);
  }

  @Override
  public void check() {
    remote.check();
  }

  @Override
  public void close() {
    remote.close();
  }
}
