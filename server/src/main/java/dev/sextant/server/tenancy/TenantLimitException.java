package dev.sextant.server.tenancy;

/** A tenant that would exceed {@code tenancy.maxTenants}; nothing was opened or stored. */
public final class TenantLimitException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  TenantLimitException(String tenant, int maxTenants) {
    super("tenant '" + tenant + "': refused, this server already serves maxTenants="
        + maxTenants + " tenants (raise tenancy.maxTenants)");
  }
}
