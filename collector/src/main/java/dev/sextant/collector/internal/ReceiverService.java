package dev.sextant.collector.internal;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.HttpServiceWithRoutes;
import com.linecorp.armeria.server.Route;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceOptions;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.SimpleDecoratingHttpService;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Receivers as one Armeria service whose {@link #options()} carry their per-route settings (the
 * request length limit, the request timeout), so that {@code serverBuilder.service(receivers)}
 * mounts them with those settings and nothing else is needed where they are mounted. Armeria
 * reads {@code options()} of the service it is given, so a decorator wrapping this one must hand
 * them on ({@link SimpleDecoratingHttpService} does), or the limit falls back to the server's.
 *
 * <p>Either one service that has its own routes (the gRPC service: its
 * {@code exchangeType} and the rest go to it unchanged), or a service per route, each request
 * served by the service of the route it matched.
 */
public final class ReceiverService extends SimpleDecoratingHttpService
    implements HttpServiceWithRoutes {
  private final Set<Route> routes;
  private final ServiceOptions options;

  private ReceiverService(HttpService delegate, Set<Route> routes, ServiceOptions options) {
    super(delegate);
    this.routes = routes;
    this.options = options;
  }

  /** {@code service}, its routes and all, with {@code options} in place of its own. */
  public static ReceiverService of(HttpServiceWithRoutes service, ServiceOptions options) {
    requireNonNull(service, "service");
    return new ReceiverService(service, Set.copyOf(service.routes()),
        requireNonNull(options, "options"));
  }

  /** Each of {@code routes} served by its own service (in order), all with {@code options}. */
  public static ReceiverService of(Map<Route, ? extends HttpService> routes,
      ServiceOptions options) {
    Map<Route, HttpService> copy = Collections.unmodifiableMap(new LinkedHashMap<>(routes));
    return new ReceiverService(new ByRoute(copy), copy.keySet(),
        requireNonNull(options, "options"));
  }

  @Override
  public Set<Route> routes() {
    return routes;
  }

  @Override
  public ServiceOptions options() {
    return options;
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) throws Exception {
    return ((HttpService) unwrap()).serve(ctx, req);
  }

  /** Serves a request with the service of the route it matched. */
  private static final class ByRoute implements HttpService {
    private final Map<Route, HttpService> routes;

    ByRoute(Map<Route, HttpService> routes) {
      this.routes = routes;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) throws Exception {
      return serviceOf(ctx.config().route()).serve(ctx, req);
    }

    @Override
    public void serviceAdded(ServiceConfig cfg) throws Exception {
      serviceOf(cfg.route()).serviceAdded(cfg);
    }

    private HttpService serviceOf(Route route) {
      HttpService s = routes.get(route);
      if (s == null) {
        // Only when mounted under a prefix or with changed routes: not supported.
        throw new IllegalStateException("route " + route.patternString()
            + " is not one of this service's (expected: mounted with service(receivers))");
      }
      return s;
    }
  }
}
