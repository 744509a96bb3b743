package dev.sextant.server.alerting;

import dev.sextant.alert.http.AlertApi;

/**
 * The alert engines a node serves: every tenant's on the all-in-one node ({@link TenantAlerting}),
 * or in cluster mode those of the tenants this node leads (the server's alert role). The alert
 * HTTP API and the UI's alerts page read them through {@link AlertApi.Engines}.
 */
public interface NodeAlerting extends AlertApi.Engines, AutoCloseable {
  /** Stops every engine this node runs. Idempotent. */
  @Override
  void close();
}
