package dev.sextant.server.security;

import static java.util.Objects.requireNonNull;

import dev.sextant.server.tenancy.TenantContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** Builds an enabled {@link AccessPolicy}. */
public final class AccessPolicyBuilder {
  private final List<AccessPolicy.Entry> tokens = new ArrayList<>();
  private Duration sessionTtl = Duration.ofHours(12);
  private int maxSessions = 10_000;

  AccessPolicyBuilder() {}

  /**
   * Adds a token by its plain value (kept only as its SHA-256). {@code tenant} is the tenant the
   * token writes to and reads from; {@code name} identifies it in logs (never the secret).
   */
  public AccessPolicyBuilder token(String name, String token, Role role, String tenant) {
    requireNonNull(token, "token");
    if (token.length() < 16) {
      throw new IllegalArgumentException(name + ".token: " + token.length()
          + " characters (expected: >= 16)");
    }
    return add(name, AccessPolicy.sha256(token), role, tenant);
  }

  /** Adds a token known only by its SHA-256, as 64 hex digits ({@code sha256sum} output). */
  public AccessPolicyBuilder tokenSha256(String name, String sha256Hex, Role role, String tenant) {
    requireNonNull(sha256Hex, "sha256Hex");
    String hex = sha256Hex.trim();
    if (!hex.matches("[0-9a-fA-F]{64}")) {
      throw new IllegalArgumentException(name + ".sha256: " + hex
          + " (expected: 64 hex digits, the SHA-256 of the token)");
    }
    return add(name, HexFormat.of().parseHex(hex), role, tenant);
  }

  private AccessPolicyBuilder add(String name, byte[] hash, Role role, String tenant) {
    requireNonNull(name, "name");
    requireNonNull(role, "role");
    TenantContext.checkName(name + ".tenant", requireNonNull(tenant, "tenant"));
    for (AccessPolicy.Entry e : tokens) {
      if (Arrays.equals(e.sha256(), hash)) {
        throw new IllegalArgumentException(name + ": the same token as "
            + e.principal().name() + " (expected: every token distinct)");
      }
    }
    tokens.add(new AccessPolicy.Entry(hash, new Principal(name, role, tenant)));
    return this;
  }

  /** How long a UI login lasts (default 12 h). */
  public AccessPolicyBuilder sessionTtl(Duration ttl) {
    requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("sessionTtl: " + ttl + " (expected: > 0)");
    }
    this.sessionTtl = ttl;
    return this;
  }

  /** The most UI sessions kept at once (default 10 000); beyond, the oldest is dropped. */
  public AccessPolicyBuilder maxSessions(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("maxSessions: " + max + " (expected: > 0)");
    }
    this.maxSessions = max;
    return this;
  }

  public AccessPolicy build() {
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException("auth.tokens: empty (expected: at least one token "
          + "when auth is enabled)");
    }
    return new AccessPolicy(true, tokens, sessionTtl, maxSessions);
  }
}
