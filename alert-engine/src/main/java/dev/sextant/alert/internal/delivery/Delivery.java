package dev.sextant.alert.internal.delivery;

import static java.util.Objects.requireNonNull;

/**
 * One HTTP POST to make: JSON {@code body} to {@code url}. {@code dedupKey} identifies the alert
 * group at the receiver (PagerDuty's dedup_key); deliveries with the same key are made in order.
 */
record Delivery(String receiver, String url, String dedupKey, String body) {
  public Delivery {
    requireNonNull(receiver, "receiver");
    requireNonNull(url, "url");
    requireNonNull(dedupKey, "dedupKey");
    requireNonNull(body, "body");
  }
}
