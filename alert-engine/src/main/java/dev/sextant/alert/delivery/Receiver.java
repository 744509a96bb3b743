package dev.sextant.alert.delivery;

import dev.sextant.alert.notify.Notification;

/** Turns a notification into the HTTP request a receiver expects (PagerDuty, webhook). */
public interface Receiver {
  /** The receiver name that routes refer to. */
  String name();

  /** Renders {@code n}; the result goes to the outbox as is and is retried byte-for-byte. */
  Delivery render(Notification n);
}
