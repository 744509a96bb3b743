package dev.sextant.collector.internal;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.util.Exceptions;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Answers a request body over its route's length limit with a message naming the limit. Armeria
 * enforces that limit itself, before the body is read when {@code Content-Length} declares too
 * much and as soon as a streamed body crosses it, so no receiver ever sees such a request and
 * Armeria's own answer would be a bare "Request Entity Too Large". On the OTLP/HTTP routes the
 * answer is a {@code google.rpc.Status} in the request's encoding, as the OTLP spec asks (SDK
 * exporters log its message); elsewhere plain text. gRPC requests are left to the gRPC service,
 * whose clients expect a gRPC status ({@code RESOURCE_EXHAUSTED}), and every other status to the
 * next handler.
 */
public final class TooLargeErrorHandler implements ServerErrorHandler {
  private static final Set<String> OTLP_PATHS = Set.of("/v1/traces", "/v1/logs", "/v1/metrics");

  @Override
  public @Nullable HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
    if (!(Exceptions.peel(cause) instanceof ContentTooLargeException)) {
      return null;
    }
    AggregatedHttpResponse r = render(ctx.request().headers(), ctx.maxRequestLength());
    return r == null ? null : r.toHttpResponse();
  }

  @Override
  public @Nullable AggregatedHttpResponse renderStatus(@Nullable ServiceRequestContext ctx,
      ServiceConfig config, @Nullable RequestHeaders headers, HttpStatus status,
      @Nullable String description, @Nullable Throwable cause) {
    if (status.code() != HttpStatus.REQUEST_ENTITY_TOO_LARGE.code()) {
      return null;
    }
    // The context's limit is the one the route set for itself (HttpIngest sets it per request).
    return render(headers, ctx != null ? ctx.maxRequestLength() : config.maxRequestLength());
  }

  private static @Nullable AggregatedHttpResponse render(@Nullable RequestHeaders headers,
      long limit) {
    MediaType type = headers == null ? null : headers.contentType();
    if (type != null && type.subtype().startsWith("grpc")) {
      return null;
    }
    String message = "request body: over " + limit + " bytes (limits.maxRequestBytes; "
        + "send smaller batches)";
    if (headers != null && OTLP_PATHS.contains(headers.path())) {
      boolean json = type != null && type.subtype().endsWith("json");
      return OtlpHttpErrors.aggregated(HttpStatus.REQUEST_ENTITY_TOO_LARGE, message, 0, json);
    }
    return AggregatedHttpResponse.of(HttpStatus.REQUEST_ENTITY_TOO_LARGE,
        MediaType.PLAIN_TEXT_UTF_8, message);
  }
}
