package dev.sextant.collector.internal;

import dev.sextant.storage.SpanConsumer;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.util.concurrent.CompletableFuture;

/** The transport-independent trace ingest step shared by the gRPC and HTTP receivers. */
public final class TraceIngest {
  private final SpanConsumer consumer;

  public TraceIngest(SpanConsumer consumer) {
    this.consumer = consumer;
  }

  /** Stores the valid spans; the response (with partial success) completes once they are durable. */
  public CompletableFuture<ExportTraceServiceResponse> export(ExportTraceServiceRequest request) {
    TraceConversion c = TraceConverter.convert(request);
    CompletableFuture<Void> stored = c.spans().isEmpty()
        ? CompletableFuture.completedFuture(null) : consumer.accept(c.spans());
    return stored.thenApply(unused -> {
      ExportTraceServiceResponse.Builder b = ExportTraceServiceResponse.newBuilder();
      if (c.rejected() > 0) {
        b.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
            .setRejectedSpans(c.rejected())
            .setErrorMessage(c.errorMessage()));
      }
      return b.build();
    });
  }
}
