package dev.sextant.server.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.jspecify.annotations.Nullable;

/**
 * Checks the cluster token on the internal API: {@code Authorization: Bearer <token>}, compared
 * in constant time. A user's token is not a cluster token, whatever its role.
 */
final class InternalAuth {
  /** A token no header can carry: every internal call is refused. */
  static final String REFUSE_ALL = "\0refuse-all";

  /** Null: open (a loopback-only cluster without authentication). */
  private final byte @Nullable [] token;

  InternalAuth(@Nullable String token) {
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  /** Null when {@code authorization} carries the cluster token, else why the call is refused. */
  @Nullable String refusal(@Nullable String authorization) {
    byte[] expected = token;
    if (expected == null) {
      return null;
    }
    String presented = null;
    if (authorization != null) {
      int sp = authorization.indexOf(' ');
      if (sp > 0 && authorization.substring(0, sp).equalsIgnoreCase("bearer")) {
        presented = authorization.substring(sp + 1).trim();
      }
    }
    if (presented == null) {
      return "internal API: missing cluster token (send 'Authorization: Bearer <token>' with the "
          + "cluster's cluster.internalToken / SEXTANT_CLUSTER_TOKEN; user tokens are not "
          + "accepted here)";
    }
    // MessageDigest.isEqual takes the same time wherever the first difference is.
    if (!MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
      return "internal API: wrong cluster token (expected: this cluster's "
          + "cluster.internalToken / SEXTANT_CLUSTER_TOKEN; user tokens are not accepted here)";
    }
    return null;
  }
}
