package dev.sextant.collector.internal;

import com.google.rpc.Status;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import io.grpc.Status.Code;

/**
 * OTLP/HTTP error responses: a {@code google.rpc.Status} body in the request's encoding, as the
 * spec asks, so SDK exporters can log the message; refusals carry {@code Retry-After}.
 */
final class OtlpHttpErrors {
  private OtlpHttpErrors() {}

  /** {@code retryAfterSeconds} above 0 adds {@code Retry-After}. */
  static HttpResponse error(HttpStatus status, String message, long retryAfterSeconds,
      boolean json) {
    return aggregated(status, message, retryAfterSeconds, json).toHttpResponse();
  }

  /** As {@link #error}, whole (for an error handler's answer). */
  static AggregatedHttpResponse aggregated(HttpStatus status, String message,
      long retryAfterSeconds, boolean json) {
    Status body = Status.newBuilder().setCode(grpcCode(status)).setMessage(message).build();
    ResponseHeadersBuilder headers = ResponseHeaders.builder(status)
        .contentType(json ? MediaType.JSON : HttpIngest.PROTOBUF);
    if (retryAfterSeconds > 0) {
      headers.add(HttpHeaderNames.RETRY_AFTER, String.valueOf(retryAfterSeconds));
    }
    return AggregatedHttpResponse.of(headers.build(), json ? HttpData.ofUtf8(OtlpJson.print(body))
        : HttpData.wrap(body.toByteArray()));
  }

  private static int grpcCode(HttpStatus status) {
    return switch (status.code()) {
      case 400, 415 -> Code.INVALID_ARGUMENT.value();
      case 413, 429 -> Code.RESOURCE_EXHAUSTED.value();
      case 503 -> Code.UNAVAILABLE.value();
      default -> Code.INTERNAL.value();
    };
  }
}
