package dev.sextant.server.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;

/**
 * Who may do what. {@link #disabled()} (the default) lets every request through and takes the
 * tenant from {@code X-Scope-OrgID}; an enabled policy knows tokens by their SHA-256 only and
 * requires one on every route except the login page and the bare {@code /health} answer.
 */
public final class AccessPolicy {
  private static final AccessPolicy DISABLED =
      new AccessPolicy(false, List.of(), Duration.ofHours(12), 10_000);

  private final boolean enabled;
  private final List<Entry> tokens;
  private final Duration sessionTtl;
  private final int maxSessions;

  record Entry(byte[] sha256, Principal principal) {}

  AccessPolicy(boolean enabled, List<Entry> tokens, Duration sessionTtl, int maxSessions) {
    this.enabled = enabled;
    this.tokens = List.copyOf(tokens);
    this.sessionTtl = sessionTtl;
    this.maxSessions = maxSessions;
  }

  /** No authentication: today's open server. */
  public static AccessPolicy disabled() {
    return DISABLED;
  }

  /** An enabled policy; add at least one token. */
  public static AccessPolicyBuilder builder() {
    return new AccessPolicyBuilder();
  }

  public boolean enabled() {
    return enabled;
  }

  /** How long a UI login lasts. */
  public Duration sessionTtl() {
    return sessionTtl;
  }

  int maxSessions() {
    return maxSessions;
  }

  /**
   * The principal of {@code token}, or null. Compares the token's SHA-256 with every known hash
   * in constant time and never stops early, so timing tells nothing about how close a guess was
   * or which entry matched.
   */
  @SuppressWarnings("ShortCircuitBoolean") // '&': every entry is compared, in constant time
  Principal authenticate(String token) {
    if (token == null || token.isEmpty()) {
      return null;
    }
    byte[] h = sha256(token);
    Principal found = null;
    for (Entry e : tokens) {
      if (MessageDigest.isEqual(h, e.sha256()) & found == null) {
        found = e.principal();
      }
    }
    return found;
  }

  static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
