package dev.sextant.query.jaeger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A Jaeger endpoint: blocking executor, Jaeger's envelope for data and for errors. */
final class JaegerHandler implements HttpService {
  private static final Logger logger = LoggerFactory.getLogger(JaegerHandler.class);

  /** What an endpoint answers: its data, or a status and message. */
  record Reply(HttpStatus status, Object data, int total, String error) {
    static Reply ok(List<?> data) {
      return new Reply(HttpStatus.OK, data, data.size(), null);
    }

    static Reply error(HttpStatus status, String message) {
      return new Reply(status, null, 0, message);
    }
  }

  @FunctionalInterface
  interface Body {
    Reply apply(ServiceRequestContext ctx, QueryParams params);
  }

  private final Body body;

  private JaegerHandler(Body body) {
    this.body = body;
  }

  static HttpService of(Body body) {
    return new JaegerHandler(body);
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
      return write(Reply.error(HttpStatus.METHOD_NOT_ALLOWED,
          "method: " + req.method() + " (expected: GET)"));
    }
    QueryParams params = QueryParams.fromQueryString(ctx.query());
    return HttpResponse.of(() -> {
      try {
        return write(body.apply(ctx, params));
      } catch (IllegalArgumentException e) {
        return write(Reply.error(HttpStatus.BAD_REQUEST, e.getMessage()));
      } catch (RuntimeException e) {
        logger.warn("{} failed", ctx.path(), e);
        return write(Reply.error(HttpStatus.INTERNAL_SERVER_ERROR, "internal error: " + e));
      }
    }, ctx.blockingTaskExecutor());
  }

  static HttpResponse write(Reply r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("data", r.data());
    m.put("total", r.total());
    m.put("limit", 0);
    m.put("offset", 0);
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", r.status().code());
    error.put("msg", r.error());
    m.put("errors", r.error() == null ? null : List.of(error));
    try {
      return HttpResponse.of(r.status(), MediaType.JSON_UTF_8,
          JaegerApi.MAPPER.writeValueAsBytes(m));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
