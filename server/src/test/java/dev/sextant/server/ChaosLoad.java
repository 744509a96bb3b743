package dev.sextant.server;

import com.google.protobuf.MessageLite;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A client behind a load balancer for chaos tests: it sends batches (one trace of
 * {@link #PER_BATCH} spans, as many log records and gauge samples, all with unique IDs, bodies
 * and series) over OTLP/HTTP protobuf to collectors, alternating between them; a request that
 * fails (connection refused, a 503, any status but 200) is sent again, the same bytes, to the
 * next collector until one acknowledges it. It records what was acknowledged, per signal.
 * The collectors' ports are read on every request, so a restarted collector (new port) is used
 * again once the test sets its port.
 */
final class ChaosLoad implements AutoCloseable {
  static final int PER_BATCH = 3;
  static final String SERVICE = "chaos";

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private static final HexFormat HEX = HexFormat.of();

  /** An acknowledged request: when it was first sent and when a collector answered 200. */
  record Ack(String signal, long firstSentNanos, long sentNanos, long ackedNanos) {}

  final AtomicIntegerArray ports;
  final Queue<String> ackedTraces = new ConcurrentLinkedQueue<>();
  final Queue<String> ackedLogs = new ConcurrentLinkedQueue<>();
  /** Acknowledged samples' {@code batch*PER_BATCH+i}, also their values. */
  final Queue<Integer> ackedSamples = new ConcurrentLinkedQueue<>();
  final Queue<Ack> acks = new ConcurrentLinkedQueue<>();
  final AtomicInteger batches = new AtomicInteger();
  /** 503s that carried a Retry-After header. */
  final AtomicInteger refusedWithRetryAfter = new AtomicInteger();
  final AtomicInteger failures = new AtomicInteger();
  final Queue<String> oddAnswers = new ConcurrentLinkedQueue<>();

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private int next;

  ChaosLoad(AtomicIntegerArray collectorOtlpHttpPorts) {
    this.ports = collectorOtlpHttpPorts;
    this.thread = new Thread(this::run, "chaos-load");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    for (int b = 0; running.get(); b++) {
      long now = System.currentTimeMillis() * 1_000_000L;
      byte[] traceId = OtlpRequests.randomId(16);
      if (send("traces", "/v1/traces", OtlpRequests.trace(traceId, PER_BATCH, SERVICE))) {
        ackedTraces.add(HEX.formatHex(traceId));
      }
      if (send("logs", "/v1/logs", logs(b, now))) {
        for (int i = 0; i < PER_BATCH; i++) {
          ackedLogs.add(body(b, i));
        }
      }
      if (send("metrics", "/v1/metrics", samples(b, now))) {
        for (int i = 0; i < PER_BATCH; i++) {
          ackedSamples.add(b * PER_BATCH + i + 1);
        }
      }
      batches.incrementAndGet();
      try {
        Thread.sleep(40); // the load's pace, not a synchronisation
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Sends until a collector acknowledges; false only when the test stopped the load. */
  private boolean send(String signal, String path, MessageLite request) {
    byte[] body = request.toByteArray();
    long first = System.nanoTime();
    for (int attempt = 0; ; attempt++) {
      int port = ports.get(next);
      next = (next + 1) % ports.length();
      long sent = System.nanoTime();
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "application/x-protobuf").timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          acks.add(new Ack(signal, first, sent, System.nanoTime()));
          return true;
        }
        if (r.statusCode() == 503 && r.headers().firstValue("retry-after").isPresent()) {
          refusedWithRetryAfter.incrementAndGet();
        } else if (oddAnswers.size() < 20) {
          oddAnswers.add(signal + " :" + port + " " + r.statusCode() + " " + r.body());
        }
      } catch (IOException e) {
        // refused or reset: the collector is down; the next one is tried
      } catch (InterruptedException e) {
        return false;
      }
      failures.incrementAndGet();
      if (!running.get() && System.nanoTime() - first > TimeUnit.SECONDS.toNanos(120)) {
        return false;
      }
      if (attempt % ports.length() == ports.length() - 1) {
        try {
          Thread.sleep(100); // back-off once every collector refused, as a client would
        } catch (InterruptedException e) {
          return false;
        }
      }
    }
  }

  static String body(int batch, int i) {
    return "chaos-" + batch + "-" + i;
  }

  private static ExportLogsServiceRequest logs(int batch, long now) {
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    for (int i = 0; i < PER_BATCH; i++) {
      scope.addLogRecords(LogRecord.newBuilder().setTimeUnixNano(now + i)
          .setBody(AnyValue.newBuilder().setStringValue(body(batch, i))));
    }
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .setResource(resource()).addScopeLogs(scope)).build();
  }

  /** Gauge {@code chaos.samples}: one series per sample ({@code batch}, {@code i}). */
  private static ExportMetricsServiceRequest samples(int batch, long now) {
    Gauge.Builder gauge = Gauge.newBuilder();
    for (int i = 0; i < PER_BATCH; i++) {
      gauge.addDataPoints(NumberDataPoint.newBuilder().setAsDouble(batch * PER_BATCH + i + 1)
          .setTimeUnixNano(now).addAllAttributes(List.of(attr("batch", String.valueOf(batch)),
              attr("i", String.valueOf(i)))));
    }
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics
        .newBuilder().setResource(resource()).addScopeMetrics(ScopeMetrics.newBuilder()
            .addMetrics(Metric.newBuilder().setName("chaos.samples").setGauge(gauge)))).build();
  }

  private static Resource resource() {
    return Resource.newBuilder().addAttributes(attr("service.name", SERVICE)).build();
  }

  private static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder().setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  /** Stops sending new batches; the batch in flight is still sent until acknowledged. */
  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join(TimeUnit.SECONDS.toMillis(150));
    if (thread.isAlive()) {
      thread.interrupt();
    }
  }
}
