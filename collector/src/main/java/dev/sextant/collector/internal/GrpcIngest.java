package dev.sextant.collector.internal;

import com.google.protobuf.Duration;
import com.google.protobuf.Message;
import com.google.rpc.RetryInfo;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC side of the pipeline, shared by the three OTLP services: tenant from metadata,
 * refusals as RESOURCE_EXHAUSTED (throttled) or UNAVAILABLE (overloaded) with {@code RetryInfo},
 * as the OTLP spec's throttling section says.
 *
 * <p>A call is answered before its deadline (the client's {@code grpc-timeout}, else the server's
 * request timeout) runs out, so the framework never ends it with a bare DEADLINE_EXCEEDED: if
 * storage has not confirmed the write by the pipeline's write timeout or by 90% of the call's
 * deadline, whichever comes first, the answer is UNAVAILABLE with {@code RetryInfo} (the write may
 * still complete; see {@link IngestPipeline#STORAGE_TIMEOUT_MESSAGE} for what a retry does).
 */
final class GrpcIngest<Req extends Message, Resp extends Message> {
  private static final Metadata.Key<RetryInfo> RETRY_INFO =
      ProtoUtils.keyForProto(RetryInfo.getDefaultInstance());

  private final IngestPipeline pipeline;
  private final SignalHandler<Req, Resp> handler;

  GrpcIngest(IngestPipeline pipeline, SignalHandler<Req, Resp> handler) {
    this.pipeline = pipeline;
    this.handler = handler;
  }

  void export(LenientOtlpParser.Parsed<Req> request, int bytes, StreamObserver<Resp> observer) {
    ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
    String tenant = Tenants.fromHeader(ctx == null ? null
        : ctx.request().headers().get(Tenants.HEADER));
    long deadline = deadline(ctx);
    if (ctx != null) {
      // This call is answered by `deadline` at the latest; the framework's own timeout would
      // race that answer with a bare DEADLINE_EXCEEDED.
      ctx.clearRequestTimeout();
    }
    pipeline.handle(handler, request, bytes, tenant, "grpc", deadline)
        .whenComplete((response, failure) -> {
          if (failure == null) {
            observer.onNext(response);
            observer.onCompleted();
          } else {
            observer.onError(toStatus(failure));
          }
        });
  }

  private long deadline(ServiceRequestContext ctx) {
    long now = System.nanoTime();
    long own = now + pipeline.writeTimeoutNanos();
    if (ctx == null || ctx.requestTimeoutMillis() <= 0) {
      return own;
    }
    // The call's timeout counts from its start; the margin lets the answer reach the client.
    Long started = ctx.log().isAvailable(com.linecorp.armeria.common.logging.RequestLogProperty
        .REQUEST_START_TIME) ? ctx.log().partial().requestStartTimeNanos() : null;
    long callDeadline = (started == null ? now : started)
        + TimeUnit.MILLISECONDS.toNanos(ctx.requestTimeoutMillis()) * 9 / 10;
    return Math.min(own, callDeadline);
  }

  private static io.grpc.StatusRuntimeException toStatus(Throwable failure) {
    Throwable cause = IngestFailures.unwrap(failure);
    if (!(cause instanceof IngestRefusedException r)) {
      return Status.INTERNAL.withDescription(String.valueOf(cause)).asRuntimeException();
    }
    if (r.reason() == IngestRefusedException.Reason.INVALID) {
      return Status.INVALID_ARGUMENT.withDescription(r.getMessage()).asRuntimeException();
    }
    Metadata trailers = new Metadata();
    trailers.put(RETRY_INFO, RetryInfo.newBuilder()
        .setRetryDelay(Duration.newBuilder().setSeconds(r.retryAfterSeconds())).build());
    Status status = r.reason() == IngestRefusedException.Reason.THROTTLED
        ? Status.RESOURCE_EXHAUSTED : Status.UNAVAILABLE;
    return status.withDescription(r.getMessage()).asRuntimeException(trailers);
  }
}
