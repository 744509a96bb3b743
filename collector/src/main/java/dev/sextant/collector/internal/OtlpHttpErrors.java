package dev.sextant.collector.internal;

import com.google.rpc.Status;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import io.grpc.Status.Code;

/**
 * OTLP/HTTP error responses: a {@code google.rpc.Status} body in the request's encoding, as the
 * spec asks, so SDK exporters can log the message; refusals carry {@code Retry-After}.
 */
final class OtlpHttpErrors {
  static final MediaType PROTOBUF = MediaType.parse("application/x-protobuf");

  private OtlpHttpErrors() {}

  static HttpResponse error(HttpStatus status, String message, boolean json) {
    Status body = Status.newBuilder().setCode(grpcCode(status)).setMessage(message).build();
    return json ? HttpResponse.of(status, MediaType.JSON, OtlpJson.print(body))
        : HttpResponse.of(status, PROTOBUF, body.toByteArray());
  }

  static HttpResponse refused(Throwable failure, boolean json) {
    Throwable cause = IngestFailures.unwrap(failure);
    if (!(cause instanceof IngestRefusedException r)) {
      return error(HttpStatus.INTERNAL_SERVER_ERROR, String.valueOf(cause), json);
    }
    if (r.reason() == IngestRefusedException.Reason.INVALID) {
      return error(HttpStatus.BAD_REQUEST, r.getMessage(), json);
    }
    HttpStatus status = r.reason() == IngestRefusedException.Reason.THROTTLED
        ? HttpStatus.TOO_MANY_REQUESTS : HttpStatus.SERVICE_UNAVAILABLE;
    Status body = Status.newBuilder().setCode(grpcCode(status)).setMessage(r.getMessage()).build();
    ResponseHeaders headers = ResponseHeaders.builder(status)
        .add(HttpHeaderNames.RETRY_AFTER, String.valueOf(r.retryAfterSeconds()))
        .contentType(json ? MediaType.JSON : PROTOBUF).build();
    return HttpResponse.of(headers, json ? HttpData.ofUtf8(OtlpJson.print(body))
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
