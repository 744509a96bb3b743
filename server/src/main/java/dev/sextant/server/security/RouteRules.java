package dev.sextant.server.security;

import com.linecorp.armeria.common.HttpMethod;
import java.util.Set;

/**
 * Which access each request needs, by port, path and method. Anything not named here needs
 * {@link Access#INGEST} on the OTLP ports (and on Zipkin's {@code /api/v2/spans} anywhere) and
 * {@link Access#READ} elsewhere, so a route added later is protected without anyone remembering
 * to list it.
 */
final class RouteRules {
  /** What a request needs, and whether only the default tenant may use it. */
  record Rule(Access access, boolean defaultTenantOnly) {}

  private static final Rule OPEN = new Rule(Access.OPEN, false);
  private static final Rule LIVENESS = new Rule(Access.LIVENESS, false);
  private static final Rule INGEST = new Rule(Access.INGEST, false);
  private static final Rule READ = new Rule(Access.READ, false);
  private static final Rule ADMIN = new Rule(Access.ADMIN, false);
  // /metrics is the whole server's and counts every tenant's traffic by name, so it is the
  // default tenant's (the operator's). Rules, alerts and silences are per tenant (each route
  // acts on the request's tenant's alert engine), so any tenant may use them.
  private static final Rule DEFAULT_TENANT_READ = new Rule(Access.READ, true);
  // The status config shows the whole server's configuration (secrets masked): the operator's.
  private static final Set<String> DEFAULT_TENANT_READS =
      Set.of("/metrics", "/api/v1/status/config");
  /** Prometheus's probes: open to anyone, as Prometheus's are; they tell up/ready, nothing else. */
  static final Set<String> PROBES = Set.of("/-/healthy", "/-/ready");

  private static final Rule INTERNAL = new Rule(Access.INTERNAL, false);
  /** Routes under it are the cluster's internal API (a store's read API): cluster token only. */
  static final String INTERNAL_PREFIX = "/internal/";

  /** Zipkin's span intake, served on the HTTP port as Zipkin does: an ingest route there. */
  static final String ZIPKIN_SPANS = "/api/v2/spans";

  private final int grpcPort;
  private final int otlpHttpPort;
  private final boolean loginRoutes;

  RouteRules(int grpcPort, int otlpHttpPort, boolean loginRoutes) {
    this.grpcPort = grpcPort;
    this.otlpHttpPort = otlpHttpPort;
    this.loginRoutes = loginRoutes;
  }

  /**
   * Routes a read token may use but an anonymous caller only with the admin API enabled: a
   * backtest replays rules over up to a week of history, too costly to leave open to anyone who
   * can reach the port.
   */
  static boolean adminWhenAnonymous(String path) {
    return path.startsWith("/api/alerts/backtest");
  }

  /** The UI and API port: not one of the two OTLP ports. */
  boolean isBrowserFacing(int port) {
    return port != grpcPort && port != otlpHttpPort;
  }

  boolean isOtlpHttp(int port) {
    return port == otlpHttpPort;
  }

  Rule classify(int port, String path, HttpMethod method) {
    // First: no other rule may open an internal route to users.
    if (path.startsWith(INTERNAL_PREFIX)) {
      return INTERNAL;
    }
    if (path.equals("/health")) {
      return LIVENESS;
    }
    if (PROBES.contains(path)) {
      return OPEN;
    }
    if (port == grpcPort || port == otlpHttpPort || path.equals(ZIPKIN_SPANS)) {
      return INGEST;
    }
    if (loginRoutes && (path.equals(LoginService.LOGIN) || path.equals(LoginService.LOGOUT))) {
      return OPEN;
    }
    // Every other /-/ route (reload) is an admin action.
    if (path.startsWith("/-/")) {
      return ADMIN;
    }
    // Alerts posted by Prometheus servers (Alertmanager's API): data coming in, as OTLP is.
    if (path.equals("/api/v2/alerts") && method == HttpMethod.POST) {
      return INGEST;
    }
    // The UI's silence forms write silences just like the API: admin only.
    if (path.startsWith("/api/v2/silence") || path.startsWith("/ui/alerts/silences")) {
      return method == HttpMethod.GET || method == HttpMethod.HEAD ? READ : ADMIN;
    }
    // Pinning and unpinning keep data past retention: a write, as silences are.
    if (path.startsWith("/api/pins") || path.startsWith("/ui/pins")) {
      return method == HttpMethod.GET || method == HttpMethod.HEAD ? READ : ADMIN;
    }
    if (DEFAULT_TENANT_READS.contains(path)) {
      return DEFAULT_TENANT_READ;
    }
    return READ;
  }
}
