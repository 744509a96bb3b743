package dev.sextant.collector;

import com.linecorp.armeria.server.VirtualHostBuilder;
import com.linecorp.armeria.server.grpc.GrpcService;
import dev.sextant.collector.internal.GrpcErrors;
import dev.sextant.collector.internal.OtlpGrpcTraceService;
import dev.sextant.collector.internal.OtlpHttpTraceService;
import dev.sextant.collector.internal.TraceIngest;
import dev.sextant.storage.SpanConsumer;

final class DefaultCollector implements Collector {
  private final TraceIngest traces;
  private final int maxRequestBytes;

  DefaultCollector(SpanConsumer spans, int maxRequestBytes) {
    this.traces = new TraceIngest(spans);
    this.maxRequestBytes = maxRequestBytes;
  }

  @Override
  public void bindGrpc(VirtualHostBuilder host) {
    // The message limit (after decompression) answers RESOURCE_EXHAUSTED; the HTTP-level limit
    // is set above it so it never pre-empts that with a bare 413 a gRPC client can't interpret.
    host.maxRequestLength(maxRequestBytes * 2L + (1 << 20));
    host.service(GrpcService.builder()
        .addService(new OtlpGrpcTraceService(traces))
        .maxRequestMessageLength(maxRequestBytes)
        .exceptionHandler(GrpcErrors::toStatus)
        .build());
  }

  @Override
  public void bindHttp(VirtualHostBuilder host) {
    host.route().path("/v1/traces").maxRequestLength(maxRequestBytes)
        .build(new OtlpHttpTraceService(traces));
  }
}
