package dev.sextant.query.http;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.HttpServiceWithRoutes;
import com.linecorp.armeria.server.Route;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A module's HTTP routes as one Armeria service: each {@link Route} has its own service, and
 * {@code serverBuilder.service(routed)} (or a virtual host's) registers every route at once, in
 * the order they were added. Each route stays a route of its own on the server, so decorators
 * that look at {@code ctx.config().route()} (access rules, body types) see the same patterns as
 * if the routes had been registered one by one. A request is served by the service of the route
 * it matched.
 */
public class RoutedService implements HttpServiceWithRoutes {
  private final Map<Route, HttpService> routes;

  /** The routes of {@code builder}, which may go on being used for another service. */
  protected RoutedService(Builder builder) {
    requireNonNull(builder, "builder");
    this.routes = Collections.unmodifiableMap(new LinkedHashMap<>(builder.routes));
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public final Set<Route> routes() {
    return routes.keySet();
  }

  @Override
  public final HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) throws Exception {
    return serviceOf(ctx.config().route()).serve(ctx, req);
  }

  /** Tells the route's own service, as Armeria tells a service registered by itself. */
  @Override
  public final void serviceAdded(ServiceConfig cfg) throws Exception {
    serviceOf(cfg.route()).serviceAdded(cfg);
  }

  @Override
  public final boolean shouldCachePath(String path, String query, Route route) {
    HttpService s = routes.get(route);
    return s != null ? s.shouldCachePath(path, query, route)
        : HttpServiceWithRoutes.super.shouldCachePath(path, query, route);
  }

  private HttpService serviceOf(Route route) {
    HttpService s = routes.get(route);
    if (s == null) {
      // Only when this was mounted under a prefix or with changed routes: not supported.
      throw new IllegalStateException("route " + route.patternString()
          + " is not one of this service's (expected: mounted with service(routed), unchanged)");
    }
    return s;
  }

  /** Collects routes in order; a pattern or route given twice is refused. */
  public static final class Builder {
    private final Map<Route, HttpService> routes = new LinkedHashMap<>();

    Builder() {}

    /**
     * Serves {@code pathPattern} (any method) with {@code service}; the pattern is Armeria's
     * ({@code /exact}, {@code /with/{param}}, {@code prefix:/under/}).
     */
    public Builder service(String pathPattern, HttpService service) {
      return service(Route.builder().path(requireNonNull(pathPattern, "pathPattern")).build(),
          service);
    }

    /** Serves everything under {@code prefix} (ending with {@code /}) with {@code service}. */
    public Builder serviceUnder(String prefix, HttpService service) {
      return service(Route.builder().pathPrefix(requireNonNull(prefix, "prefix")).build(),
          service);
    }

    /** Serves {@code route} (e.g. limited to some methods) with {@code service}. */
    public Builder service(Route route, HttpService service) {
      requireNonNull(route, "route");
      requireNonNull(service, "service");
      if (routes.putIfAbsent(route, service) != null) {
        throw new IllegalArgumentException("route: " + route.patternString() + " "
            + route.methods() + " (expected: each route once)");
      }
      return this;
    }

    /** Adds every route of {@code other}, after the ones added so far. */
    public Builder addAll(RoutedService other) {
      requireNonNull(other, "other");
      other.routes.forEach(this::service);
      return this;
    }

    public RoutedService build() {
      return new RoutedService(this);
    }
  }
}
