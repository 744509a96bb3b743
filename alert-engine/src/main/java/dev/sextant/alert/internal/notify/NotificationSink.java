package dev.sextant.alert.internal.notify;

/** Where the dispatcher hands notifications (the durable outbox in production). */
@FunctionalInterface
public interface NotificationSink {
  /** Must be durable when it returns: the dispatcher records the notification as sent. */
  void accept(Notification n);
}
