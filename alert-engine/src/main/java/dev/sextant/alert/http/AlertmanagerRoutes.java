package dev.sextant.alert.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.Route;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.alert.AlertEngine;
import dev.sextant.alert.api.AlertApiJson;
import dev.sextant.alert.api.AlertmanagerJson;
import dev.sextant.alert.api.PostedAlerts;
import dev.sextant.alert.http.AlertApi.Engines;
import dev.sextant.alert.internal.notify.Dispatcher.AlertView;
import dev.sextant.alert.notify.Matchers;
import dev.sextant.alert.notify.Silence;
import dev.sextant.query.http.RoutedService;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.UserRegex;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Alertmanager's API v2 over the request's engine, so Prometheus servers can send their alerts
 * to Sextant and {@code amtool} can query alerts and manage silences: {@code POST|GET
 * /api/v2/alerts}, {@code GET /api/v2/alerts/groups}, {@code /api/v2/status},
 * {@code /api/v2/receivers}, {@code GET /api/v2/silences} (with {@code filter}) and
 * {@code GET /api/v2/silence/{id}}. Errors are a JSON string, as Alertmanager answers.
 */
final class AlertmanagerRoutes {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Most {@code filter} matchers one query may give. */
  static final int MAX_FILTERS = 64;

  private AlertmanagerRoutes() {}

  static void add(RoutedService.Builder routes, Engines engines) {
    routes.service(route("/api/v2/alerts", HttpMethod.POST), (ctx, req) -> blocking(engines, ctx,
        e -> HttpResponse.of(req.aggregate().thenApplyAsync(agg -> post(e, agg.contentUtf8()),
            ctx.blockingTaskExecutor()))));
    routes.service(route("/api/v2/alerts", HttpMethod.GET), (ctx, req) -> {
      Filter f;
      try {
        f = Filter.of(ctx);
      } catch (IllegalArgumentException ex) {
        return error(HttpStatus.BAD_REQUEST, ex.getMessage());
      }
      return blocking(engines, ctx, e -> json(AlertmanagerJson.alerts(
          e.dispatcher().view().stream().filter(f::test).toList(), Instant.now())));
    });
    routes.service(route("/api/v2/alerts/groups", HttpMethod.GET), (ctx, req) -> {
      Filter f;
      try {
        f = Filter.of(ctx);
      } catch (IllegalArgumentException ex) {
        return error(HttpStatus.BAD_REQUEST, ex.getMessage());
      }
      return blocking(engines, ctx, e -> json(AlertmanagerJson.groups(e.dispatcher().groups()
          .stream().map(g -> g.filtered(f::test)).filter(g -> !g.alerts().isEmpty())
          .toList(), Instant.now())));
    });
    routes.service(route("/api/v2/status", HttpMethod.GET), (ctx, req) -> blocking(engines, ctx,
        e -> json(AlertmanagerJson.status(e.notifier().original(), e.startedAt(), version()))));
    routes.service(route("/api/v2/receivers", HttpMethod.GET), (ctx, req) -> blocking(engines,
        ctx, e -> json(AlertmanagerJson.receivers(e.notifier().receiverNames()))));
    routes.service(route("/api/v2/silences", HttpMethod.GET), (ctx, req) -> {
      List<LabelMatcher> filter;
      try {
        filter = Filter.matchers(ctx);
      } catch (IllegalArgumentException ex) {
        return error(HttpStatus.BAD_REQUEST, ex.getMessage());
      }
      return blocking(engines, ctx, e -> {
        Instant now = Instant.now();
        return json(AlertApiJson.silences(e.silences().list().stream()
            .filter(s -> matches(s, filter)).toList(), now));
      });
    });
    routes.service(route("/api/v2/silence/{id}", HttpMethod.GET), (ctx, req) -> blocking(engines,
        ctx, e -> e.silences().list().stream().filter(s -> s.id().equals(ctx.pathParam("id")))
            .findFirst().map(s -> json(AlertApiJson.silence(s, Instant.now())))
            .orElseGet(() -> error(HttpStatus.NOT_FOUND,
                "silence " + ctx.pathParam("id") + " not found"))));
  }

  private static Route route(String path, HttpMethod method) {
    return Route.builder().path(path).methods(method).build();
  }

  private static HttpResponse post(AlertEngine e, String body) {
    Instant now = Instant.now();
    PostedAlerts.Result r;
    try {
      r = PostedAlerts.parse(body, now, e.notifier().resolveTimeout());
    } catch (IllegalArgumentException ex) {
      return error(HttpStatus.BAD_REQUEST, ex.getMessage());
    }
    if (!r.alerts().isEmpty() && !e.dispatcher().offer(r.alerts())) {
      return HttpResponse.of(ResponseHeaders.builder(HttpStatus.SERVICE_UNAVAILABLE)
          .contentType(MediaType.JSON_UTF_8).add(HttpHeaderNames.RETRY_AFTER, "60").build(),
          HttpData.ofUtf8(text("alerts: the alert engine holds its"
              + " maximum number of alerts; none of these " + r.alerts().size()
              + " was taken (retry later)")));
    }
    if (!r.errors().isEmpty()) {
      // The valid alerts were taken; name the refused ones (the first ten).
      List<String> shown = r.errors().subList(0, Math.min(10, r.errors().size()));
      return error(HttpStatus.BAD_REQUEST, r.errors().size() + " of "
          + (r.errors().size() + r.alerts().size()) + " alerts refused: "
          + String.join("; ", shown));
    }
    return HttpResponse.of(HttpStatus.OK);
  }

  /** Alertmanager's silence filter: the filter matchers match the silence's own matchers. */
  private static boolean matches(Silence s, List<LabelMatcher> filter) {
    if (filter.isEmpty()) {
      return true;
    }
    List<String> nv = new ArrayList<>();
    for (LabelMatcher m : Matchers.parseAll(s.matchers())) {
      nv.add(m.name());
      nv.add(m.value());
    }
    return Matchers.matches(filter, Labels.of(nv.toArray(new String[0])));
  }

  /** The {@code filter}, {@code receiver}, {@code active}, {@code silenced}, ... parameters. */
  private record Filter(List<LabelMatcher> matchers, @Nullable UserRegex receiver,
      boolean active, boolean silenced, boolean inhibited) {
    static Filter of(ServiceRequestContext ctx) {
      String r = ctx.queryParam("receiver");
      UserRegex receiver = null;
      if (r != null && !r.isEmpty()) {
        try {
          receiver = UserRegex.anchored(r);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("receiver: " + e.getMessage(), e);
        }
      }
      return new Filter(matchers(ctx), receiver, bool(ctx, "active"), bool(ctx, "silenced"),
          bool(ctx, "inhibited"));
    }

    static List<LabelMatcher> matchers(ServiceRequestContext ctx) {
      List<String> fs = ctx.queryParams().getAll("filter");
      if (fs.size() > MAX_FILTERS) {
        throw new IllegalArgumentException("filter: " + fs.size() + " matchers (expected: at most "
            + MAX_FILTERS + ")");
      }
      List<LabelMatcher> out = new ArrayList<>();
      for (String f : fs) {
        try {
          out.addAll(Matchers.parse(f));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("filter: " + e.getMessage(), e);
        }
      }
      return out;
    }

    private static boolean bool(ServiceRequestContext ctx, String name) {
      String v = ctx.queryParam(name);
      if (v == null || v.equals("true")) {
        return true;
      }
      if (v.equals("false")) {
        return false;
      }
      throw new IllegalArgumentException(name + ": " + v + " (expected: true or false)");
    }

    boolean test(AlertView a) {
      boolean isSilenced = !a.silencedBy().isEmpty();
      boolean isInhibited = !a.inhibitedBy().isEmpty();
      if (!silenced && isSilenced || !inhibited && isInhibited
          || !active && !isSilenced && !isInhibited) {
        return false;
      }
      if (receiver != null && a.receivers().stream().noneMatch(receiver::matches)) {
        return false;
      }
      return Matchers.matches(matchers, a.alert().labels());
    }
  }

  private static String version() {
    String v = AlertEngine.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** Serves with the request's engine on the blocking executor (its state is behind a lock). */
  private static HttpResponse blocking(Engines engines, ServiceRequestContext ctx,
      Function<AlertEngine, HttpResponse> serve) {
    String scope = engines.current();
    return HttpResponse.of(CompletableFuture.supplyAsync(() -> {
      AlertEngine e = engines.existing(scope);
      return serve.apply(e != null ? e : engines.engine(scope));
    }, ctx.blockingTaskExecutor()));
  }

  private static HttpResponse error(HttpStatus status, String message) {
    return HttpResponse.of(status, MediaType.JSON_UTF_8, text(message));
  }

  private static String text(String message) {
    return new TextNode(message).toString();
  }

  private static HttpResponse json(JsonNode body) {
    try {
      return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
