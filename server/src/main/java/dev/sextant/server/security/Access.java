package dev.sextant.server.security;

/** What a route needs. */
enum Access {
  /** No credentials (the login page). */
  OPEN,
  /** Open for a bare up/down answer; the details need {@link #READ}. */
  LIVENESS,
  INGEST,
  READ,
  ADMIN
}
