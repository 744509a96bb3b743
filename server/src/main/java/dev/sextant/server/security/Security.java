package dev.sextant.server.security;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.server.ServerBuilder;
import dev.sextant.server.tenancy.TenantStorage;
import dev.sextant.ui.SecurityHeaders;
import java.time.Clock;
import org.jspecify.annotations.Nullable;

/**
 * Puts authentication, roles and tenant binding in front of every service of a server. Call it
 * once the three ports are known; it decorates the whole server (every virtual host, including
 * routes registered after this call and the 404 fallback) and adds {@code /login} and
 * {@code /logout} on the HTTP port when the policy is enabled. With the policy disabled,
 * {@code anonymousAdmin} decides whether anonymous callers may use the admin routes. Every
 * answer gets the browser hardening headers of {@link SecurityHeaders}. Routes under
 * {@code /internal/} (the cluster's internal API) take the cluster token
 * ({@code Authorization: Bearer <clusterToken>}) and nothing else; with no cluster token they are
 * open while the policy is disabled (a loopback-only cluster, checked by the server) and refused
 * while it is enabled.
 */
public final class Security {
  private Security() {}

  public static void install(ServerBuilder sb, AccessPolicy policy,
      @Nullable TenantStorage tenants, int grpcPort, int otlpHttpPort, int httpPort,
      boolean anonymousAdmin, @Nullable String clusterToken) {
    requireNonNull(sb, "sb");
    requireNonNull(policy, "policy");
    if (clusterToken == null && policy.enabled()) {
      // Without a cluster token the internal API would be open to every user of the server.
      clusterToken = InternalAuth.REFUSE_ALL;
    }
    SessionStore sessions = new SessionStore(policy.sessionTtl(), policy.maxSessions(),
        Clock.systemUTC());
    RouteRules rules = new RouteRules(grpcPort, otlpHttpPort, policy.enabled());
    sb.decorator(new SecurityDecorator(policy, sessions, rules, tenants, anonymousAdmin,
        new InternalAuth(clusterToken)));
    // Added last, so it wraps the one above: refusals carry the headers too.
    sb.decorator(new SecurityHeaders());
    if (policy.enabled()) {
      sb.virtualHost(httpPort).service(new LoginService(policy, sessions).service());
    }
  }
}
