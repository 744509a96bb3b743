package dev.sextant.server.cluster;

import static java.util.Objects.requireNonNull;

import dev.sextant.cluster.RemoteStorage;
import dev.sextant.server.tenancy.TenantContext;
import dev.sextant.server.tenancy.TenantRoutedStorage;
import dev.sextant.storage.Pins;

/**
 * The query and alert roles' storage on a node that is not a store: every read goes to the
 * stores through {@code remote}, as the tenant of the request being served
 * ({@link TenantContext#current()}; the default tenant outside requests), as
 * {@link dev.sextant.server.tenancy.TenantStorage} does on a store. Writes are refused (the
 * collector role writes through Kafka); pins are not kept here ({@link #pins()} throws
 * {@link UnsupportedOperationException}, which the UI shows as no pins). Closing closes
 * {@code remote}.
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
  public Pins pins() {
    return remote.pins(); // not kept here: throws, whatever the tenant
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
