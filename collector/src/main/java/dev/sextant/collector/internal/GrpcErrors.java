package dev.sextant.collector.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.linecorp.armeria.common.RequestContext;
import io.grpc.Metadata;
import io.grpc.Status;

/** Maps failures inside the gRPC layer to the codes OTLP clients act on. */
public final class GrpcErrors {
  private GrpcErrors() {}

  /** A body that is not a valid protobuf is the client's fault: INVALID_ARGUMENT, not INTERNAL. */
  public static Status toStatus(RequestContext ctx, Status status, Throwable cause,
      Metadata metadata) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof InvalidProtocolBufferException) {
        return Status.INVALID_ARGUMENT.withDescription(
            "malformed protobuf request: " + t.getMessage()).withCause(cause);
      }
    }
    return null;
  }
}
