package dev.sextant.server.security;

import java.util.Locale;

/**
 * What a token may do. {@link #INGEST} sends telemetry to the OTLP ports and nothing else;
 * {@link #READ} uses the query, Prometheus and Jaeger APIs, the UI, {@code /metrics} and health
 * details; {@link #ADMIN} does both plus the writes on the HTTP port ({@code /-/reload},
 * creating and expiring silences).
 */
public enum Role {
  INGEST,
  READ,
  ADMIN;

  /** Parses {@code ingest}, {@code read} or {@code admin} (any case); {@code field} names it. */
  public static Role parse(String field, String value) {
    if (value != null) {
      for (Role r : values()) {
        if (r.name().equalsIgnoreCase(value.trim())) {
          return r;
        }
      }
    }
    throw new IllegalArgumentException(field + ": " + value
        + " (expected: ingest, read or admin)");
  }

  boolean grants(Access access) {
    return switch (access) {
      case OPEN, LIVENESS -> true;
      case INGEST -> this == INGEST || this == ADMIN;
      case READ -> this == READ || this == ADMIN;
      case ADMIN -> this == ADMIN;
      case INTERNAL -> false; // the cluster token only, never a user's role
    };
  }

  String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
