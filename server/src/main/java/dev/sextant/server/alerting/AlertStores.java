package dev.sextant.server.alerting;

import static java.util.Objects.requireNonNull;

import dev.sextant.server.tenancy.TenantStorage;
import dev.sextant.storage.Storage;
import dev.sextant.storage.metrics.MetricWriter;
import java.nio.file.Path;

/**
 * Where each tenant's alert engine reads and writes: the store its rules query and take evidence
 * from, where recording rules' results go, whether the traces it pages about are pinned, and the
 * directory of its alert state. On a node with its own stores all of it is the tenant's embedded
 * store ({@link #of(TenantStorage)}); on an alert-only cluster node rules read the stores,
 * recorded series go through Kafka to the stores, and evidence is pinned on every store over the
 * network ({@link #pinsOverNetwork()}).
 */
public interface AlertStores {
  /** Every tenant's own embedded store, pins included. */
  static AlertStores of(TenantStorage tenants) {
    requireNonNull(tenants, "tenants");
    return new AlertStores() {
      @Override
      public Storage forTenant(String tenant) {
        return tenants.forTenant(tenant);
      }

      @Override
      public MetricWriter recordedSeries(String tenant) {
        return tenants.forTenant(tenant).metricWriter();
      }

      @Override
      public boolean pinsEvidence() {
        return true;
      }

      @Override
      public Path dirOf(String tenant) {
        return tenants.dirOf(tenant);
      }
    };
  }

  /** What {@code tenant}'s rules query and take their evidence from. */
  Storage forTenant(String tenant);

  /** Where {@code tenant}'s recording rules write their results. */
  MetricWriter recordedSeries(String tenant);

  /** Whether a page pins its evidence traces ({@code forTenant(t).pins()} keeps them). */
  boolean pinsEvidence();

  /**
   * Whether {@code forTenant(t).pins()} calls other nodes (a cluster's stores): pins are then
   * made off the notification path and retried until every store has them. False by default.
   */
  default boolean pinsOverNetwork() {
    return false;
  }

  /**
   * The directory below which {@code tenant}'s alert state lives (in {@code alerts}); the default
   * tenant's holds the others' in {@code tenants/<name>}, as {@link TenantStorage#dirOf} lays out.
   */
  Path dirOf(String tenant);
}
