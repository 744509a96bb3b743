package dev.sextant.server;

import com.google.protobuf.Message;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.sextant.storage.Ids;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sustained OTLP ingest of all three signals from concurrent clients (each signal over gRPC and
 * over HTTP protobuf), recording exactly what the server acknowledged: a trace ID per
 * acknowledged trace export, a correlation ID per acknowledged log export, and (timestamp,
 * value) per acknowledged sample of each writer's gauge series {@code crash_probe{writer}}.
 */
final class IngestLoad {
  static final int SPANS_PER_TRACE = 10;
  static final int LOGS_PER_EXPORT = 5;

  /** What the server acknowledged, cumulative across cycles. */
  static final class Acked {
    final ConcurrentLinkedQueue<String> traceIds = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> logBatches = new ConcurrentLinkedQueue<>();
    /** writer → acknowledged {timestampMillis, value}. */
    final Map<String, ConcurrentLinkedQueue<long[]>> samples = new ConcurrentHashMap<>();
    final AtomicLong refusals = new AtomicLong();

    long sampleCount() {
      return samples.values().stream().mapToLong(ConcurrentLinkedQueue::size).sum();
    }
  }

  private final SextantChild child;
  private final String tag;
  private final Acked acked;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicBoolean killing = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();

  IngestLoad(SextantChild child, String tag, Acked acked) {
    this.child = child;
    this.tag = tag;
    this.acked = acked;
  }

  void start() {
    String grpc = "http://127.0.0.1:" + child.grpcPort;
    var traces = GrpcClients.builder(grpc).responseTimeoutMillis(20_000)
        .build(TraceServiceGrpc.TraceServiceBlockingStub.class);
    var logs = GrpcClients.builder(grpc).responseTimeoutMillis(20_000)
        .build(LogsServiceGrpc.LogsServiceBlockingStub.class);
    var metrics = GrpcClients.builder(grpc).responseTimeoutMillis(20_000)
        .build(MetricsServiceGrpc.MetricsServiceBlockingStub.class);
    WebClient http = WebClient.builder("http://127.0.0.1:" + child.otlpHttpPort)
        .responseTimeoutMillis(20_000).build();
    spawn(() -> {
      byte[] id = OtlpRequests.randomId(16);
      traces.export(OtlpRequests.trace(id, SPANS_PER_TRACE, "crash"));
      acked.traceIds.add(Ids.toHex(id));
    });
    spawn(() -> {
      byte[] id = OtlpRequests.randomId(16);
      post(http, "/v1/traces", OtlpRequests.trace(id, SPANS_PER_TRACE, "crash"));
      acked.traceIds.add(Ids.toHex(id));
    });
    spawn(() -> {
      String batch = Ids.toHex(OtlpRequests.randomId(8));
      logs.export(logBatch(batch));
      acked.logBatches.add(batch);
    });
    spawn(() -> {
      String batch = Ids.toHex(OtlpRequests.randomId(8));
      post(http, "/v1/logs", logBatch(batch));
      acked.logBatches.add(batch);
    });
    sampleWriter(tag + "-grpc", req -> metrics.export(req));
    sampleWriter(tag + "-http", req -> post(http, "/v1/metrics", req));
  }

  /** Waits until this cycle's clients got at least one acknowledgement for every signal. */
  void awaitAcksOfEverySignal(long timeoutMillis) throws InterruptedException {
    int traces = acked.traceIds.size();
    int logs = acked.logBatches.size();
    long samples = acked.sampleCount();
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (acked.traceIds.size() == traces || acked.logBatches.size() == logs
        || acked.sampleCount() == samples) {
      if (System.currentTimeMillis() > deadline || !child.process.isAlive()) {
        throw new AssertionError("no acknowledgement of every signal within " + timeoutMillis
            + " ms (new: traces " + (acked.traceIds.size() - traces) + ", log exports "
            + (acked.logBatches.size() - logs) + ", samples " + (acked.sampleCount() - samples)
            + "; refusals " + acked.refusals.get() + "; server alive: "
            + child.process.isAlive() + "): " + tailQuietly());
      }
      Thread.sleep(20);
    }
  }

  /** Called just before the SIGKILL: failures from now on are the kill, not refusals. */
  void killing() {
    killing.set(true);
  }

  private String tailQuietly() {
    try {
      return child.tail();
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** Stops the clients (after the server died or was killed) and waits for them. */
  void stop() throws InterruptedException {
    stop.set(true);
    for (Thread t : threads) {
      t.join(30_000);
    }
  }

  private interface Export {
    void run() throws Exception;
  }

  private void spawn(Export export) {
    Thread t = new Thread(() -> {
      while (!stop.get()) {
        try {
          export.run();
        } catch (Exception e) {
          if (killing.get() || !child.process.isAlive()) {
            return; // killed: this export was never acknowledged
          }
          acked.refusals.incrementAndGet(); // refused (retry hint): nothing acknowledged
          pause();
        }
      }
    }, "ingest-load-" + threads.size());
    t.start();
    threads.add(t);
  }

  private interface MetricExport {
    void send(ExportMetricsServiceRequest request) throws Exception;
  }

  /** One series per writer, one point per export, timestamps strictly increasing. */
  private void sampleWriter(String writer, MetricExport export) {
    ConcurrentLinkedQueue<long[]> mine = new ConcurrentLinkedQueue<>();
    acked.samples.put(writer, mine);
    long[] last = {0};
    spawn(() -> {
      long ts = Math.max(System.currentTimeMillis(), last[0] + 1);
      last[0] = ts;
      long value = mine.size() + 1;
      export.send(gauge(writer, ts, value));
      mine.add(new long[] {ts, value});
    });
  }

  private static void post(WebClient http, String path, Message body) {
    AggregatedHttpResponse r = http.execute(RequestHeaders.builder(HttpMethod.POST, path)
        .contentType(MediaType.parse("application/x-protobuf")).build(),
        HttpData.wrap(body.toByteArray())).aggregate().join();
    if (r.status().code() != 200) {
      throw new IllegalStateException(path + ": " + r.status());
    }
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static ExportLogsServiceRequest logBatch(String batch) {
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int i = 0; i < LOGS_PER_EXPORT; i++) {
      scope.addLogRecords(LogRecord.newBuilder().setTimeUnixNano(now + i)
          .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_INFO)
          .setBody(AnyValue.newBuilder().setStringValue("crash log " + batch + " #" + i))
          .addAttributes(attr("correlation_id", batch)));
    }
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(attr("service.name", "crash")))
        .addScopeLogs(scope)).build();
  }

  static ExportMetricsServiceRequest gauge(String writer, long tsMillis, double value) {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(attr("service.name", "crash")))
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder()
            .setName("crash.probe").setGauge(Gauge.newBuilder().addDataPoints(
                NumberDataPoint.newBuilder().setAsDouble(value).addAttributes(attr("writer", writer))
                    .setTimeUnixNano(tsMillis * 1_000_000L)))))).build();
  }

  private static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }
}
