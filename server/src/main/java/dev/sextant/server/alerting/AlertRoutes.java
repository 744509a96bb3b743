package dev.sextant.server.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.VirtualHostBuilder;
import dev.sextant.alert.AlertEngine;
import dev.sextant.alert.api.AlertApiJson;
import dev.sextant.alert.notify.Silence;
import dev.sextant.alert.rules.RuleFileResult;
import dev.sextant.alert.rules.RuleProblem;
import dev.sextant.query.JsonErrors;
import java.time.Instant;
import java.util.List;

/**
 * HTTP routes of the alert engine: Prometheus-compatible {@code /api/v1/rules} and
 * {@code /api/v1/alerts}, {@code POST /-/reload}, Alertmanager-compatible silences under
 * {@code /api/v2/silences}, and the delivery audit trail at {@code /api/alerts/audit}.
 */
public final class AlertRoutes {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AlertEngine engine;
  private final List<String> rulePatterns;

  public AlertRoutes(AlertEngine engine, List<String> rulePatterns) {
    this.engine = engine;
    this.rulePatterns = List.copyOf(rulePatterns);
  }

  public void registerTo(VirtualHostBuilder host) {
    // Prometheus's UI paths that pages link to (/alerts, /graph) are the web UI's (WebUi).
    host.service("/api/v1/rules", (ctx, req) -> {
      String type = ctx.queryParam("type");
      if (type != null && !type.equals("alert") && !type.equals("record")) {
        return badData("type: " + type + " (expected: alert or record)");
      }
      return json(HttpStatus.OK, AlertApiJson.rules(engine.rules().groups(), type));
    });
    host.service("/api/v1/alerts", (ctx, req) ->
        json(HttpStatus.OK, AlertApiJson.alerts(engine.rules().alerts())));
    host.route().path("/-/reload").methods(HttpMethod.POST, HttpMethod.PUT)
        .build((ctx, req) -> HttpResponse.of(() -> reload(), ctx.blockingTaskExecutor()));
    host.route().path("/api/v2/silences").methods(HttpMethod.GET)
        .build((ctx, req) -> json(HttpStatus.OK,
            AlertApiJson.silences(engine.silences().list(), Instant.now())));
    host.route().path("/api/v2/silences").methods(HttpMethod.POST)
        .build((ctx, req) -> HttpResponse.of(req.aggregate().thenApply(agg -> {
          Silence s;
          try {
            s = engine.silences().add(AlertApiJson.parseSilence(agg.contentUtf8()));
          } catch (IllegalArgumentException e) {
            return JsonErrors.of(HttpStatus.BAD_REQUEST, e.getMessage());
          }
          ObjectNode out = JSON.createObjectNode();
          out.put("silenceID", s.id());
          return json(HttpStatus.OK, out);
        })));
    host.route().path("/api/v2/silence/{id}").methods(HttpMethod.DELETE)
        .build((ctx, req) -> engine.silences().expire(ctx.pathParam("id"))
            ? HttpResponse.of(HttpStatus.OK)
            : JsonErrors.of(HttpStatus.NOT_FOUND, "silence " + ctx.pathParam("id")
                + " not found or already expired"));
    host.service("/api/alerts/audit", (ctx, req) -> {
      String l = ctx.queryParam("limit");
      int limit;
      try {
        limit = l == null ? 100 : Integer.parseInt(l);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > 10_000) {
        return JsonErrors.of(HttpStatus.BAD_REQUEST, "limit: " + l + " (expected: 1-10000)");
      }
      return json(HttpStatus.OK, AlertApiJson.audit(engine.audit().list(limit)));
    });
  }

  private HttpResponse reload() {
    List<RuleFileResult> results = engine.loadRules(rulePatterns);
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
        "reloaded " + results.size() + " rule files\n");
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
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
