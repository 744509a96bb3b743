package dev.sextant.server.security;

/** What a route needs. */
enum Access {
  /** No credentials (the login page). */
  OPEN,
  /** Open for a bare up/down answer; the details need {@link #READ}. */
  LIVENESS,
  INGEST,
  READ,
  ADMIN,
  /**
   * The cluster's internal API (under {@link RouteRules#INTERNAL_PREFIX}): the cluster token
   * only; no user token, session or anonymous caller, whatever its role.
   */
  INTERNAL
}
