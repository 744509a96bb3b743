package dev.sextant.query.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sextant.query.JsonErrors;
import dev.sextant.query.promql.QueryException;
import dev.sextant.storage.ReadWarnings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A GET endpoint of the native API: runs on the blocking executor (storage reads block), writes the
 * returned object as JSON, and maps bad parameters to 400 with {@code {"status","error"}}. What
 * storage reported through {@link ReadWarnings} during the call goes into the object's
 * {@code warnings} list.
 */
final class Handler implements HttpService {
  private static final Logger logger = LoggerFactory.getLogger(Handler.class);
  static final ObjectMapper MAPPER = new ObjectMapper();

  @FunctionalInterface
  interface Body {
    /** Returns a JSON-serializable tree, or an {@link HttpResponse} to send as is. */
    Object apply(ServiceRequestContext ctx, QueryParams params);
  }

  private final Body body;

  private Handler(Body body) {
    this.body = body;
  }

  static HttpService of(Body body) {
    return new Handler(body);
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      return JsonErrors.of(HttpStatus.METHOD_NOT_ALLOWED,
          "method: " + req.method() + " (expected: GET)");
    }
    QueryParams params = QueryParams.fromQueryString(ctx.query());
    return HttpResponse.of(() -> {
      try (ReadWarnings.Collector partial = ReadWarnings.collect()) {
        Object out = body.apply(ctx, params);
        if (out instanceof HttpResponse r) {
          return r;
        }
        return json(withWarnings(out, partial.warnings()));
      } catch (IllegalArgumentException e) {
        return JsonErrors.of(HttpStatus.BAD_REQUEST, e.getMessage());
      } catch (QueryException e) {
        HttpStatus status = switch (e.kind()) {
          case BAD_DATA -> HttpStatus.BAD_REQUEST;
          case EXECUTION -> HttpStatus.UNPROCESSABLE_ENTITY;
          default -> HttpStatus.SERVICE_UNAVAILABLE;
        };
        return JsonErrors.of(status, e.getMessage());
      } catch (RuntimeException e) {
        logger.warn("{} failed", ctx.path(), e);
        return JsonErrors.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal error: " + e);
      }
    }, ctx.blockingTaskExecutor());
  }

  /**
   * {@code out} with storage's warnings (a cluster's store that did not answer: the result may be
   * partial) added to its {@code warnings} list, when it is a JSON object.
   */
  @SuppressWarnings("unchecked")
  private static Object withWarnings(Object out, List<String> warnings) {
    if (warnings.isEmpty() || !(out instanceof Map<?, ?> map)) {
      return out;
    }
    Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) map);
    List<Object> all = new ArrayList<>();
    if (copy.get("warnings") instanceof Collection<?> existing) {
      all.addAll(existing);
    }
    all.addAll(warnings);
    copy.put("warnings", all);
    return copy;
  }

  static HttpResponse json(Object out) {
    try {
      return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, MAPPER.writeValueAsBytes(out));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
