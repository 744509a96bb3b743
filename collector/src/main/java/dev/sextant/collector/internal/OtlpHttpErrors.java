package dev.sextant.collector.internal;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.google.rpc.Status;

/**
 * OTLP/HTTP error responses: a protobuf {@code google.rpc.Status} body, as the spec asks, so SDK
 * exporters can log the message.
 */
final class OtlpHttpErrors {
  private static final MediaType PROTOBUF = MediaType.parse("application/x-protobuf");

  private OtlpHttpErrors() {}

  static HttpResponse error(HttpStatus status, String message) {
    Status body = Status.newBuilder().setCode(grpcCode(status)).setMessage(message).build();
    return HttpResponse.of(status, PROTOBUF, body.toByteArray());
  }

  private static int grpcCode(HttpStatus status) {
    return switch (status.code()) {
      case 400, 415 -> io.grpc.Status.Code.INVALID_ARGUMENT.value();
      case 413, 429 -> io.grpc.Status.Code.RESOURCE_EXHAUSTED.value();
      case 503 -> io.grpc.Status.Code.UNAVAILABLE.value();
      default -> io.grpc.Status.Code.UNKNOWN.value();
    };
  }
}
