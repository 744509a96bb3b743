package dev.sextant.collector.internal;

import com.google.protobuf.Duration;
import com.google.rpc.RetryInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;

/** OTLP TraceService over gRPC. Answers only once the request's spans are durable. */
public final class OtlpGrpcTraceService extends TraceServiceGrpc.TraceServiceImplBase {
  private static final Metadata.Key<RetryInfo> RETRY_INFO =
      ProtoUtils.keyForProto(RetryInfo.getDefaultInstance());

  private final TraceIngest ingest;

  public OtlpGrpcTraceService(TraceIngest ingest) {
    this.ingest = ingest;
  }

  @Override
  public void export(ExportTraceServiceRequest request,
      StreamObserver<ExportTraceServiceResponse> observer) {
    ingest.export(request).whenComplete((response, failure) -> {
      if (failure == null) {
        observer.onNext(response);
        observer.onCompleted();
      } else {
        observer.onError(unavailable(failure));
      }
    });
  }

  static io.grpc.StatusRuntimeException unavailable(Throwable failure) {
    Metadata trailers = new Metadata();
    trailers.put(RETRY_INFO, RetryInfo.newBuilder()
        .setRetryDelay(Duration.newBuilder().setSeconds(IngestFailures.RETRY_AFTER_SECONDS))
        .build());
    return Status.UNAVAILABLE.withDescription(IngestFailures.message(failure))
        .asRuntimeException(trailers);
  }
}
