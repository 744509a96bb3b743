package dev.sextant.server.security;

import com.linecorp.armeria.common.HttpMethod;
import java.util.Set;

/**
 * Which access each request needs, by port, path and method. Anything not named here needs
 * {@link Access#INGEST} on the OTLP ports and {@link Access#READ} elsewhere, so a route added
 * later is protected without anyone remembering to list it.
 */
final class RouteRules {
  /** What a request needs, and whether only the default tenant may use it (alerting). */
  record Rule(Access access, boolean defaultTenantOnly) {}

  private static final Rule OPEN = new Rule(Access.OPEN, false);
  private static final Rule LIVENESS = new Rule(Access.LIVENESS, false);
  private static final Rule INGEST = new Rule(Access.INGEST, false);
  private static final Rule READ = new Rule(Access.READ, false);
  private static final Rule ALERTS_READ = new Rule(Access.READ, true);
  private static final Rule ALERTS_ADMIN = new Rule(Access.ADMIN, true);

  // Rules and alerts are evaluated over the default tenant's data only, so their routes are
  // the default tenant's too; /metrics counts every tenant's traffic by name.
  private static final Set<String> DEFAULT_TENANT_READS = Set.of("/api/v1/rules",
      "/api/v1/alerts", "/api/v2/silences", "/api/alerts/audit", "/alerts", "/metrics");

  private final int grpcPort;
  private final int otlpHttpPort;
  private final boolean loginRoutes;

  RouteRules(int grpcPort, int otlpHttpPort, boolean loginRoutes) {
    this.grpcPort = grpcPort;
    this.otlpHttpPort = otlpHttpPort;
    this.loginRoutes = loginRoutes;
  }

  boolean isOtlpHttp(int port) {
    return port == otlpHttpPort;
  }

  Rule classify(int port, String path, HttpMethod method) {
    if (path.equals("/health")) {
      return LIVENESS;
    }
    if (port == grpcPort || port == otlpHttpPort) {
      return INGEST;
    }
    if (loginRoutes && (path.equals(LoginService.LOGIN) || path.equals(LoginService.LOGOUT))) {
      return OPEN;
    }
    if (path.equals("/-/reload") || path.startsWith("/-/")) {
      return ALERTS_ADMIN;
    }
    if (path.startsWith("/api/v2/silence")) {
      return method == HttpMethod.GET || method == HttpMethod.HEAD ? ALERTS_READ : ALERTS_ADMIN;
    }
    if (DEFAULT_TENANT_READS.contains(path)) {
      return ALERTS_READ;
    }
    return READ;
  }
}
