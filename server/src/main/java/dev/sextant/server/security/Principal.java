package dev.sextant.server.security;

/** Who a valid token or session is: a name for logs, a role and the tenant it acts for. */
record Principal(String name, Role role, String tenant) {}
