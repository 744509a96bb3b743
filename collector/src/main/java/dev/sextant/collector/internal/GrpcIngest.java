package dev.sextant.collector.internal;

import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.RetryInfo;
import com.linecorp.armeria.common.logging.RequestLogProperty;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
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
  private final int maxRequestBytes;

  GrpcIngest(IngestPipeline pipeline, SignalHandler<Req, Resp> handler, int maxRequestBytes) {
    this.pipeline = pipeline;
    this.handler = handler;
    this.maxRequestBytes = maxRequestBytes;
  }

  /**
   * Called on the event loop with the message as received ({@code grpc-encoding: gzip} messages
   * still compressed, see {@link RawGrpcOtlpService}); inflating, parsing and storing run on the
   * pipeline's decoding threads.
   */
  void export(byte[] message, StreamObserver<Resp> observer) {
    ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
    String tenant = Tenants.fromHeader(ctx == null ? null
        : ctx.request().headers().get(Tenants.HEADER));
    boolean gzip = ctx != null && "gzip".equals(ctx.request().headers().get("grpc-encoding"))
        && BoundedGunzip.hasGzipMagic(message);
    long deadline = deadline(ctx);
    if (ctx != null) {
      // This call is answered by `deadline` at the latest; the framework's own timeout would
      // race that answer with a bare DEADLINE_EXCEEDED.
      ctx.clearRequestTimeout();
    }
    String signal = handler.signal().key();
    IngestBudget.Reservation reservation = pipeline.reserve();
    CompletableFuture<Resp> answer;
    try {
      pipeline.refuseIfOver(reservation, message.length, signal);
      answer = pipeline.decode(ctx, signal, message.length, deadline,
          () -> decodeAndStore(message, gzip, tenant, reservation, deadline));
    } catch (IngestRefusedException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    answer.whenComplete((response, failure) -> {
      reservation.answered();
      if (failure == null) {
        observer.onNext(response);
        observer.onCompleted();
      } else {
        observer.onError(toStatus(failure));
      }
    });
  }

  /** Runs on a decoding thread. */
  private CompletableFuture<Resp> decodeAndStore(byte[] message, boolean gzip, String tenant,
      IngestBudget.Reservation reservation, long deadline) {
    byte[] body = message;
    LenientOtlpParser.Parsed<Req> parsed;
    try {
      if (gzip) {
        body = BoundedGunzip.gunzip(message, maxRequestBytes);
      }
      parsed = handler.parse(body);
    } catch (BoundedGunzip.TooLargeException e) {
      throw Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()).asRuntimeException();
    } catch (InvalidProtocolBufferException e) {
      throw Status.INVALID_ARGUMENT.withDescription(
          "malformed " + handler.signal().key() + " request: " + e.getMessage())
          .asRuntimeException();
    } catch (IOException e) {
      throw Status.INVALID_ARGUMENT.withDescription("invalid gzip data: " + e.getMessage())
          .asRuntimeException();
    }
    return pipeline.handle(handler, parsed, reservation, body.length, tenant, "grpc", deadline);
  }

  private long deadline(ServiceRequestContext ctx) {
    long now = System.nanoTime();
    long own = now + pipeline.writeTimeoutNanos();
    if (ctx == null || ctx.requestTimeoutMillis() <= 0) {
      return own;
    }
    // The call's timeout counts from its start; the margin lets the answer reach the client.
    Long started = ctx.log().isAvailable(RequestLogProperty
        .REQUEST_START_TIME) ? ctx.log().partial().requestStartTimeNanos() : null;
    long callDeadline = (started == null ? now : started)
        + TimeUnit.MILLISECONDS.toNanos(ctx.requestTimeoutMillis()) * 9 / 10;
    return Math.min(own, callDeadline);
  }

  private static StatusRuntimeException toStatus(Throwable failure) {
    Throwable cause = IngestFailures.unwrap(failure);
    if (cause instanceof StatusRuntimeException e) {
      return e;
    }
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
