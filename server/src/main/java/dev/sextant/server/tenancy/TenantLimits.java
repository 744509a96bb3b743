package dev.sextant.server.tenancy;

import static java.util.Objects.requireNonNull;

import dev.sextant.storage.metrics.SeriesLimits;
import java.util.Map;

/**
 * Per-tenant limits on metric series (Mimir's {@code limits} with {@code overrides}): one default
 * and whole-set overrides per tenant, as the config's {@code tenantLimits:} section gives them
 * (a tenant's override inherits unset keys from the default there). Immutable.
 */
public final class TenantLimits {
  private final SeriesLimits defaults;
  private final Map<String, SeriesLimits> tenants;

  private TenantLimits(SeriesLimits defaults, Map<String, SeriesLimits> tenants) {
    this.defaults = defaults;
    this.tenants = Map.copyOf(tenants);
  }

  /** Mimir's defaults for every tenant; see {@link SeriesLimits#defaults(String)}. */
  public static TenantLimits defaults() {
    return new TenantLimits(SeriesLimits.defaults(TenantContext.DEFAULT), Map.of());
  }

  /** {@code defaults} for every tenant but those in {@code tenants}. */
  public static TenantLimits of(SeriesLimits defaults, Map<String, SeriesLimits> tenants) {
    requireNonNull(defaults, "defaults");
    requireNonNull(tenants, "tenants");
    tenants.keySet().forEach(t -> TenantContext.checkName("tenantLimits.tenants", t));
    return new TenantLimits(defaults, tenants);
  }

  /** No limit on any tenant. */
  public static TenantLimits unlimited() {
    return new TenantLimits(SeriesLimits.UNLIMITED, Map.of());
  }

  /** The limits of {@code tenant}, named after it (for refusal messages). */
  public SeriesLimits forTenant(String tenant) {
    return tenants.getOrDefault(tenant, defaults).withTenant(tenant);
  }
}
