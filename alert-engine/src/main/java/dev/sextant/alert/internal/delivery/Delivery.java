package dev.sextant.alert.internal.delivery;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * One HTTP POST to make: JSON {@code body} to {@code url}. {@code dedupKey} identifies the alert
 * group at the receiver (PagerDuty's dedup_key); deliveries of one integration with the same key
 * are made in order. {@code integration} names the receiver's integration whose authorization
 * is added when sending (null, from entries written before integrations: the receiver's name).
 */
record Delivery(String receiver, String url, String dedupKey, String body,
    @Nullable String integration) {
  public Delivery {
    requireNonNull(receiver, "receiver");
    requireNonNull(url, "url");
    requireNonNull(dedupKey, "dedupKey");
    requireNonNull(body, "body");
    integration = integration == null ? receiver : integration;
  }

  Delivery(String receiver, String url, String dedupKey, String body) {
    this(receiver, url, dedupKey, body, null);
  }
}
