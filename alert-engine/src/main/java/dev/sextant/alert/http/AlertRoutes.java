package dev.sextant.alert.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Route;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.alert.AlertEngine;
import dev.sextant.alert.api.AlertApiJson;
import dev.sextant.alert.notify.Silence;
import dev.sextant.alert.rules.RuleFileResult;
import dev.sextant.alert.rules.RuleProblem;
import dev.sextant.query.JsonErrors;
import dev.sextant.query.http.RoutedService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The routes of {@link AlertApi}. Every route acts on the engine of the request's scope
 * ({@link AlertApi.Engines#current()}) only: {@code /-/reload} reloads that scope's rule files, a
 * silence mutes that scope's alerts.
 */
final class AlertRoutes extends RoutedService implements AlertApi {
  private static final ObjectMapper JSON = new ObjectMapper();

  AlertRoutes(Engines engines, Duration backtestTimeout) {
    super(routes(requireNonNull(engines, "engines"), backtestTimeout));
  }

  private static RoutedService.Builder routes(Engines engines,
      Duration backtestTimeout) {
    RoutedService.Builder routes = RoutedService.builder();
    // Prometheus's UI paths that pages link to (/alerts, /graph) are the web UI's (WebUi).
    routes.service("/api/v1/rules", (ctx, req) -> {
      String type = ctx.queryParam("type");
      if (type != null && !type.equals("alert") && !type.equals("record")) {
        return badData("type: " + type + " (expected: alert or record)");
      }
      return withEngine(engines, ctx, e -> json(HttpStatus.OK,
          AlertApiJson.rules(e.rules().groups(), type)));
    });
    routes.service("/api/v1/alerts", (ctx, req) -> withEngine(engines, ctx, e ->
        json(HttpStatus.OK, AlertApiJson.alerts(e.rules().alerts()))));
    routes.service(Route.builder().path("/-/reload").methods(HttpMethod.POST, HttpMethod.PUT)
        .build(), (ctx, req) -> {
          String scope = engines.current();
          return HttpResponse.of(() -> reload(engines, scope), ctx.blockingTaskExecutor());
        });
    AlertmanagerRoutes.add(routes, engines);
    routes.service(Route.builder().path("/api/v2/silences").methods(HttpMethod.POST).build(),
        (ctx, req) -> withEngine(engines, ctx, engine -> HttpResponse.of(
            req.aggregate().thenApply(agg -> {
          Silence s;
          try {
            s = engine.silences().add(AlertApiJson.parseSilence(agg.contentUtf8()));
          } catch (IllegalArgumentException e) {
            return JsonErrors.of(HttpStatus.BAD_REQUEST, e.getMessage());
          }
          ObjectNode out = JSON.createObjectNode();
          out.put("silenceID", s.id());
          return json(HttpStatus.OK, out);
        }))));
    routes.service(Route.builder().path("/api/v2/silence/{id}").methods(HttpMethod.DELETE)
        .build(), (ctx, req) -> withEngine(engines, ctx, e -> e.silences()
            .expire(ctx.pathParam("id"))
            ? HttpResponse.of(HttpStatus.OK)
            : JsonErrors.of(HttpStatus.NOT_FOUND, "silence " + ctx.pathParam("id")
                + " not found or already expired")));
    routes.service("/api/alerts/audit", (ctx, req) -> {
      String l = ctx.queryParam("limit");
      int parsed;
      try {
        parsed = l == null ? 100 : Integer.parseInt(l);
      } catch (NumberFormatException e) {
        parsed = -1;
      }
      if (parsed < 1 || parsed > 10_000) {
        return JsonErrors.of(HttpStatus.BAD_REQUEST, "limit: " + l + " (expected: 1-10000)");
      }
      int limit = parsed;
      return withEngine(engines, ctx, e -> json(HttpStatus.OK,
          AlertApiJson.audit(e.audit().list(limit))));
    });
    routes.service(Route.builder().path("/api/alerts/backtest").methods(HttpMethod.POST)
        .build(), new BacktestService(engines, backtestTimeout));
    return routes;
  }

  /**
   * Serves with the engine of the request's scope: at once when it runs, else after starting it
   * on the blocking executor (it opens RocksDB). The scope is taken here, inside the request.
   */
  private static HttpResponse withEngine(Engines engines, ServiceRequestContext ctx,
      Function<AlertEngine, HttpResponse> serve) {
    String scope = engines.current();
    AlertEngine e = engines.existing(scope);
    if (e != null) {
      return serve.apply(e);
    }
    return HttpResponse.of(CompletableFuture.supplyAsync(() -> engines.engine(scope),
        ctx.blockingTaskExecutor()).thenApply(serve));
  }

  private static HttpResponse reload(Engines engines, String tenant) {
    List<RuleFileResult> results = engines.reload(tenant);
    StringBuilder errors = new StringBuilder();
    for (RuleFileResult r : results) {
      for (RuleProblem p : r.errors()) {
        errors.append(p).append('\n');
      }
    }
    if (errors.length() > 0) {
      return JsonErrors.of(HttpStatus.BAD_REQUEST, "rules not reloaded:\n" + errors);
    }
    return HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8,
        "reloaded " + results.size() + " rule files of tenant " + tenant + "\n");
  }

  private static HttpResponse badData(String message) {
    ObjectNode o = JSON.createObjectNode();
    o.put("status", "error");
    o.put("errorType", "bad_data");
    o.put("error", message);
    return json(HttpStatus.BAD_REQUEST, o);
  }

  private static HttpResponse json(HttpStatus status, JsonNode body) {
    try {
      return HttpResponse.of(status, MediaType.JSON_UTF_8, JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
