package dev.sextant.agent.it;

import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.grpc.GrpcService;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real OTLP gRPC endpoint for the signals the Sextant server does not store yet (logs and
 * metrics): keeps every request in memory. Traces go to the real Sextant server in the integration
 * test; this receiver acknowledges and drops them (used by {@link LoadComparison}).
 */
final class OtlpTestReceiver implements AutoCloseable {
  private final List<ExportLogsServiceRequest> logs = new CopyOnWriteArrayList<>();
  private final List<ExportMetricsServiceRequest> metrics = new CopyOnWriteArrayList<>();
  private final Server server;

  OtlpTestReceiver() {
    this(true);
  }

  /** With {@code retain} false every request is acknowledged and dropped (for load runs). */
  OtlpTestReceiver(boolean retain) {
    GrpcService grpc = GrpcService.builder()
        .addService(new LogsServiceGrpc.LogsServiceImplBase() {
          @Override
          public void export(ExportLogsServiceRequest request,
              StreamObserver<ExportLogsServiceResponse> out) {
            if (retain) {
              logs.add(request);
            }
            out.onNext(ExportLogsServiceResponse.getDefaultInstance());
            out.onCompleted();
          }
        })
        .addService(new TraceServiceGrpc.TraceServiceImplBase() {
          // Only for load runs pointed here; the integration test sends traces to Sextant.
          @Override
          public void export(ExportTraceServiceRequest request,
              StreamObserver<ExportTraceServiceResponse> out) {
            out.onNext(ExportTraceServiceResponse.getDefaultInstance());
            out.onCompleted();
          }
        })
        .addService(new MetricsServiceGrpc.MetricsServiceImplBase() {
          @Override
          public void export(ExportMetricsServiceRequest request,
              StreamObserver<ExportMetricsServiceResponse> out) {
            if (retain) {
              metrics.add(request);
            }
            out.onNext(ExportMetricsServiceResponse.getDefaultInstance());
            out.onCompleted();
          }
        })
        .build();
    server = Server.builder()
        .http(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .service(grpc)
        .build();
    server.start().join();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.activeLocalPort();
  }

  /** Every exported log record with the service that sent it, as {@code service -> records}. */
  Map<String, List<LogRecord>> logRecordsByService() {
    Map<String, List<LogRecord>> byService = new HashMap<>();
    for (ExportLogsServiceRequest request : logs) {
      request.getResourceLogsList().forEach(rl -> rl.getScopeLogsList().forEach(sl ->
          byService.computeIfAbsent(serviceName(rl.getResource()), k -> new ArrayList<>())
              .addAll(sl.getLogRecordsList())));
    }
    return byService;
  }

  /** The metric names each service has exported so far. */
  Map<String, Set<String>> metricNamesByService() {
    Map<String, Set<String>> byService = new HashMap<>();
    for (ExportMetricsServiceRequest request : metrics) {
      for (ResourceMetrics rm : request.getResourceMetricsList()) {
        Set<String> names =
            byService.computeIfAbsent(serviceName(rm.getResource()), k -> new HashSet<>());
        rm.getScopeMetricsList().forEach(sm -> sm.getMetricsList().forEach(m ->
            names.add(m.getName())));
      }
    }
    return byService;
  }

  /** How many metric exports (resources) {@code service} has sent so far. */
  int metricExports(String service) {
    int n = 0;
    for (ExportMetricsServiceRequest request : metrics) {
      for (ResourceMetrics rm : request.getResourceMetricsList()) {
        if (service.equals(serviceName(rm.getResource()))) {
          n++;
        }
      }
    }
    return n;
  }

  static String serviceName(Resource resource) {
    return attribute(resource.getAttributesList(), "service.name");
  }

  static String attribute(List<KeyValue> attributes, String key) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key)) {
        return kv.getValue().getStringValue();
      }
    }
    return null;
  }

  @Override
  public void close() {
    server.stop().join();
  }
}
