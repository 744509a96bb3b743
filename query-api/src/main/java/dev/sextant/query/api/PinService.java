package dev.sextant.query.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.query.JsonErrors;
import dev.sextant.query.http.Caller;
import dev.sextant.storage.Pin;
import dev.sextant.storage.PinRequest;
import dev.sextant.storage.Pins;
import dev.sextant.storage.ReadWarnings;
import dev.sextant.storage.Storage;
import dev.sextant.storage.StorageException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The pinned set of the request's tenant: {@code GET /api/pins} lists it, {@code POST /api/pins}
 * with {@code {"traceId" | "correlationId", "incidentId", "reason"}} pins (who pinned is the
 * authenticated caller), {@code DELETE /api/pins/{id}} unpins, and
 * {@code POST /api/pins/incidents/{incidentId}/resolve} starts the expiry of an incident's pins.
 * Over a cluster's stores, a store that did not answer is named in the answer's {@code warnings}
 * (the call was made on the others; repeat it, every call is idempotent), and none answering is
 * 503.
 */
final class PinService implements HttpService {
  /** Largest request body read. */
  static final int MAX_BODY = 8 << 10;

  private final Storage storage;
  private final LongSupplier nowMillis;

  PinService(Storage storage, LongSupplier nowMillis) {
    this.storage = storage;
    this.nowMillis = nowMillis;
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    String id = ctx.pathParam("id");
    String incident = ctx.pathParam("incidentId");
    HttpMethod m = req.method();
    if (incident != null) {
      return m == HttpMethod.POST ? blocking(ctx, () -> resolve(incident))
          : notAllowed(m, "POST");
    }
    if (id != null) {
      return m == HttpMethod.DELETE ? blocking(ctx, () -> unpin(id)) : notAllowed(m, "DELETE");
    }
    if (m == HttpMethod.GET || m == HttpMethod.HEAD) {
      return blocking(ctx, () -> Map.of("pins", list(pins().list())));
    }
    if (m != HttpMethod.POST) {
      return notAllowed(m, "GET or POST");
    }
    String who = Caller.name(ctx);
    return HttpResponse.of(req.aggregate().thenApplyAsync(agg -> {
      try (ReadWarnings.Collector partial = ReadWarnings.collect()) {
        Pin p = pins().pin(request(agg, who), nowMillis.getAsLong());
        return Handler.json(withWarnings(json(p), partial.warnings()));
      } catch (IllegalArgumentException e) {
        return JsonErrors.of(HttpStatus.BAD_REQUEST, e.getMessage());
      } catch (Pins.PinLimitException e) {
        return JsonErrors.of(HttpStatus.TOO_MANY_REQUESTS, e.getMessage());
      } catch (UnsupportedOperationException e) {
        return JsonErrors.of(HttpStatus.NOT_IMPLEMENTED, e.getMessage());
      } catch (StorageException e) {
        return JsonErrors.of(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
      }
    }, ctx.blockingTaskExecutor()));
  }

  private Pins pins() {
    return storage.pins();
  }

  private Object unpin(String id) {
    return pins().unpin(id) ? Map.of("unpinned", id)
        : JsonErrors.of(HttpStatus.NOT_FOUND, "id: " + id + " (expected: a pin's id; "
            + "GET /api/pins lists them)");
  }

  private Object resolve(String incident) {
    return Map.of("incidentId", incident,
        "resolved", pins().resolve(incident, nowMillis.getAsLong()));
  }

  static PinRequest request(AggregatedHttpRequest agg, String who) {
    if (agg.content().length() > MAX_BODY) {
      throw new IllegalArgumentException("body: " + agg.content().length() + " bytes (expected: <= "
          + MAX_BODY + ")");
    }
    JsonNode n;
    try {
      n = Handler.MAPPER.readTree(agg.contentUtf8());
    } catch (IOException e) {
      throw new IllegalArgumentException("body: not JSON (expected: {\"traceId\": \"...\", "
          + "\"incidentId\": \"...\", \"reason\": \"...\"})", e);
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("body: not a JSON object (expected: {\"traceId\": "
          + "\"...\", \"incidentId\": \"...\", \"reason\": \"...\"})");
    }
    return new PinRequest(n.path("traceId").asText(""), n.path("correlationId").asText(""),
        n.path("incidentId").asText(""), n.path("reason").asText(""), who);
  }

  static List<Object> list(List<Pin> pins) {
    List<Object> out = new ArrayList<>();
    pins.forEach(p -> out.add(json(p)));
    return out;
  }

  static Map<String, Object> json(Pin p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", p.id());
    m.put("traceId", p.traceId());
    m.put("correlationId", p.correlationId());
    m.put("incidentId", p.incidentId());
    m.put("reason", p.reason());
    m.put("pinnedBy", p.pinnedBy());
    m.put("pinnedAt", Instant.ofEpochMilli(p.createdAtMillis()).toString());
    m.put("resolvedAt", p.resolvedAtMillis() == 0 ? null
        : Instant.ofEpochMilli(p.resolvedAtMillis()).toString());
    m.put("expiresAt", p.expiresAtMillis() == 0 ? null
        : Instant.ofEpochMilli(p.expiresAtMillis()).toString());
    m.put("spans", p.spans());
    m.put("logs", p.logs());
    return m;
  }

  @SuppressWarnings("unchecked")
  private static Object withWarnings(Object out, List<String> warnings) {
    if (warnings.isEmpty() || !(out instanceof Map<?, ?> map)) {
      return out;
    }
    Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) map);
    copy.put("warnings", warnings);
    return copy;
  }

  private static HttpResponse notAllowed(HttpMethod m, String expected) {
    return JsonErrors.of(HttpStatus.METHOD_NOT_ALLOWED, "method: " + m + " (expected: "
        + expected + ")");
  }

  /**
   * Runs {@code body} (a JSON object, or a response to send as is) on the blocking executor, with
   * what storage reported through {@link ReadWarnings} (a cluster's store that did not answer) in
   * the object's {@code warnings}.
   */
  private static HttpResponse blocking(ServiceRequestContext ctx, Supplier<Object> body) {
    return HttpResponse.of(() -> {
      try (ReadWarnings.Collector partial = ReadWarnings.collect()) {
        Object out = body.get();
        return out instanceof HttpResponse r ? r
            : Handler.json(withWarnings(out, partial.warnings()));
      } catch (UnsupportedOperationException e) {
        return JsonErrors.of(HttpStatus.NOT_IMPLEMENTED, e.getMessage());
      } catch (StorageException e) {
        return JsonErrors.of(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
      }
    }, ctx.blockingTaskExecutor());
  }
}
