package dev.sextant.server.cluster;

import java.util.Locale;

/**
 * What a cluster node does. A node runs any set of roles; a server without cluster settings runs
 * all of them in one process without Kafka (the all-in-one node).
 */
public enum Role {
  /** OTLP gRPC/HTTP, Zipkin, remote write and scrape receivers, writing to Kafka; no storage. */
  COLLECTOR,
  /** Consumes its Kafka partitions into the embedded stores and serves the internal read API. */
  STORE,
  /** The HTTP APIs and the UI, reading the stores. */
  QUERY,
  /** Rule evaluation and notification. */
  ALERT;

  /** The lower-case name used in config and flags. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The role named {@code key} (case-insensitive).
   *
   * @throws IllegalArgumentException naming {@code field} and the four roles
   */
  public static Role parse(String field, String key) {
    for (Role r : values()) {
      if (r.key().equalsIgnoreCase(key.strip())) {
        return r;
      }
    }
    throw new IllegalArgumentException(field + ": '" + key
        + "' (expected: collector, store, query or alert)");
  }
}
