package dev.sextant.server.tenancy;

/** The config file's {@code tenancy:} section. */
public final class TenancySettings {
  /** The most tenants with an open store, the default tenant included. */
  public int maxTenants = 64;
}
