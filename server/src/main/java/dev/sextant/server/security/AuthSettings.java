package dev.sextant.server.security;

import dev.sextant.query.Durations;
import dev.sextant.server.tenancy.TenantContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The config file's {@code auth:} section. Off unless {@code enabled: true} (or env
 * {@code SEXTANT_AUTH_ENABLED=true}); while off, the admin API is refused to anonymous callers
 * unless {@code enableAdminApi: true}. Each token gives its secret one way: {@code token} (plain,
 * in the file), {@code tokenEnv} (the name of an environment variable holding it) or
 * {@code sha256} (its hash, so the file holds no secret at all).
 */
public final class AuthSettings {
  public boolean enabled;
  /**
   * With auth off, lets anonymous callers use the admin API (reload, silences, backtests);
   * flag {@code --enable-admin-api}, env {@code SEXTANT_ENABLE_ADMIN_API}. Ignored with auth on.
   */
  public boolean enableAdminApi;
  public String sessionTtl = "12h";
  public List<TokenSettings> tokens = new ArrayList<>();

  /** One {@code auth.tokens} entry. */
  public static final class TokenSettings {
    public String name;
    public String token;
    public String tokenEnv;
    public String sha256;
    public String role;
    public String tenant = TenantContext.DEFAULT;
  }

  /**
   * Applies {@code SEXTANT_AUTH_ENABLED} and {@code SEXTANT_ENABLE_ADMIN_API} and reads every
   * {@code tokenEnv}.
   */
  public void applyEnv(Map<String, String> env) {
    String v = env.get("SEXTANT_AUTH_ENABLED");
    if (v != null) {
      enabled = bool("SEXTANT_AUTH_ENABLED", v);
    }
    v = env.get("SEXTANT_ENABLE_ADMIN_API");
    if (v != null) {
      enableAdminApi = bool("SEXTANT_ENABLE_ADMIN_API", v);
    }
    for (int i = 0; i < tokens.size(); i++) {
      TokenSettings t = tokens.get(i);
      if (t.tokenEnv != null) {
        String secret = env.get(t.tokenEnv);
        if (secret == null || secret.isBlank()) {
          throw new IllegalArgumentException("auth.tokens[" + i + "].tokenEnv: " + t.tokenEnv
              + " is not set (expected: an environment variable holding the token)");
        }
        t.token = secret.trim();
      }
    }
  }

  private static boolean bool(String name, String v) {
    if (!v.trim().equalsIgnoreCase("true") && !v.trim().equalsIgnoreCase("false")) {
      throw new IllegalArgumentException(name + ": " + v + " (expected: true or false)");
    }
    return Boolean.parseBoolean(v.trim());
  }

  /** The policy these settings describe ({@link AccessPolicy#disabled()} when off). */
  public AccessPolicy toPolicy() {
    if (!enabled) {
      return AccessPolicy.disabled();
    }
    AccessPolicyBuilder b = AccessPolicy.builder()
        .sessionTtl(Durations.parse("auth.sessionTtl", sessionTtl));
    for (int i = 0; i < tokens.size(); i++) {
      TokenSettings t = tokens.get(i);
      String where = "auth.tokens[" + i + "]";
      String name = t.name == null ? where : t.name;
      Role role = Role.parse(where + ".role", t.role);
      String tenant = TenantContext.checkName(where + ".tenant", t.tenant);
      boolean plain = t.token != null;
      if (plain == (t.sha256 != null)) {
        throw new IllegalArgumentException(where + ": " + (plain ? "both token and sha256"
            : "no secret") + " (expected: exactly one of token, tokenEnv or sha256)");
      }
      try {
        if (plain) {
          b.token(name, t.token, role, tenant);
        } else {
          b.tokenSha256(name, t.sha256, role, tenant);
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
      }
    }
    return b.build();
  }
}
