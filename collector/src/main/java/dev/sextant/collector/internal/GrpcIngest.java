package dev.sextant.collector.internal;

import com.google.protobuf.Duration;
import com.google.protobuf.Message;
import com.google.rpc.RetryInfo;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.StreamObserver;

/**
 * The gRPC side of the pipeline, shared by the three OTLP services: tenant from metadata,
 * refusals as RESOURCE_EXHAUSTED (throttled) or UNAVAILABLE (overloaded) with {@code RetryInfo},
 * as the OTLP spec's throttling section says.
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
    pipeline.handle(handler, request, bytes, tenant, "grpc")
        .whenComplete((response, failure) -> {
          if (failure == null) {
            observer.onNext(response);
            observer.onCompleted();
          } else {
            observer.onError(toStatus(failure));
          }
        });
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
