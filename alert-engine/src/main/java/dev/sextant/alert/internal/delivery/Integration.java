package dev.sextant.alert.internal.delivery;

import static java.util.Objects.requireNonNull;

import dev.sextant.alert.internal.notify.Notification;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One integration of a receiver (one entry of its {@code webhook_configs} or
 * {@code pagerduty_configs}), with the settings Alertmanager gives every integration:
 * {@code send_resolved} and the {@code http_config} authorization. A receiver may have several;
 * each renders its own delivery, retried and ordered on its own ({@link #id()}).
 */
public final class Integration implements Receiver {
  private final Receiver delegate;
  private final String id;
  private final boolean sendResolved;
  private final HttpAuth auth;

  /**
   * @param id unique among all integrations, e.g. {@code oncall/webhook_configs[1]}
   * @param sendResolved false: resolved alerts are left out, and a notification of resolved
   *     alerts only is not sent
   */
  public Integration(Receiver delegate, String id, boolean sendResolved, HttpAuth auth) {
    this.delegate = requireNonNull(delegate, "delegate");
    this.id = requireNonNull(id, "id");
    this.sendResolved = sendResolved;
    this.auth = requireNonNull(auth, "auth");
  }

  /** Identifies the integration in the outbox: its retries and breaker are its own. */
  public String id() {
    return id;
  }

  /** The authorization sent with each delivery. */
  public HttpAuth auth() {
    return auth;
  }

  public boolean sendResolved() {
    return sendResolved;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  /** The delivery, or null when {@code send_resolved} is off and nothing fires. */
  @Override
  public @Nullable Delivery render(Notification n) {
    if (!sendResolved && !n.resolved().isEmpty()) {
      List<Notification.NotifiedAlert> firing = n.firing();
      if (firing.isEmpty()) {
        return null;
      }
      n = new Notification(n.receiver(), n.groupKey(), n.groupLabels(), "firing", firing,
          n.commonLabels(), n.commonAnnotations(), n.externalUrl(), n.time(), n.evidence());
    }
    Delivery d = delegate.render(n);
    return d == null ? null : new Delivery(d.receiver(), d.url(), d.dedupKey(), d.body(), id);
  }

  @Override
  public Integration forTenant(String tenant, boolean scopeKeys) {
    return new Integration(delegate.forTenant(tenant, scopeKeys), id, sendResolved, auth);
  }

  @Override
  public String toString() {
    return id + " (send_resolved: " + sendResolved + ", auth: " + auth + ")";
  }
}
