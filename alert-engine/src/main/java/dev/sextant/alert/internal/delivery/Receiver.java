package dev.sextant.alert.internal.delivery;

import dev.sextant.alert.internal.notify.Notification;
import org.jspecify.annotations.Nullable;

/** Turns a notification into the HTTP request a receiver expects (PagerDuty, webhook). */
public interface Receiver {
  /** The receiver name that routes refer to. */
  String name();

  /**
   * Renders {@code n}; the result goes to the outbox as is and is retried byte-for-byte. Null
   * when there is nothing to send (see {@link Integration}).
   */
  @Nullable Delivery render(Notification n);

  /**
   * This receiver for the alerts of one tenant: the rendered request names {@code tenant}, and
   * when {@code scopeKeys} is true its dedup key includes the tenant, so two tenants with the same
   * rule, receiver and group names never share an incident. With {@code scopeKeys} false the keys
   * stay as without tenants (for the default tenant, whose open incidents must still resolve).
   * Receivers that have nothing to scope return themselves.
   */
  default Receiver forTenant(String tenant, boolean scopeKeys) {
    return this;
  }
}
