package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Helpers for tests that run the server in a child JVM, and their OTLP payloads. */
final class ChildServers {
  private ChildServers() {}

  private static final Pattern STARTED = Pattern.compile(
      "started: OTLP gRPC :(\\d+), OTLP HTTP :(\\d+), UI/API :(\\d+)");

  /**
   * Waits for the "started" line the child logs (at INFO) after {@code offset} bytes of
   * {@code log} and returns its ports {grpc, otlpHttp, http}. Children are started on port 0 and
   * bind what they pick themselves: a port the test picked and released could be taken by any
   * socket (even one of the test's own client connections) before the child binds it.
   */
  static int[] awaitStarted(Process child, Path log, long offset)
      throws InterruptedException, IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log)) {
        byte[] all = Files.readAllBytes(log);
        String text = new String(all, (int) Math.min(offset, all.length),
            all.length - (int) Math.min(offset, all.length),
            StandardCharsets.UTF_8);
        Matcher m = STARTED.matcher(text);
        if (m.find()) {
          return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
              Integer.parseInt(m.group(3))};
        }
      }
      if (!child.isAlive()) {
        throw new AssertionError("server exited (" + child.exitValue() + ") before it started: "
            + tail(log));
      }
      Thread.sleep(100);
    }
    throw new AssertionError("server did not log its start within 180 s: " + tail(log));
  }

  /** The end of a child's log, for failure messages. */
  static String tail(Path log) throws IOException {
    if (!Files.exists(log)) {
      return "(no log)";
    }
    String text = Files.readString(log);
    return text.substring(Math.max(0, text.length() - 4000));
  }

  static String javaBin() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }

  /**
   * Waits until {@code /health} answers 200, failing fast when the process dies. Generous, as in
   * {@link SextantChild}: a cold server JVM took over 60 s to start on a machine at load 40.
   */
  static void awaitHealthy(int port, Process child) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      assertThat(child.isAlive()).as("server process exited early").isTrue();
      try {
        if (TestClient.get(port, "/health").status() == 200) {
          return;
        }
      } catch (RuntimeException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("server did not become healthy on :" + port + " within 180 s");
  }

  /** One {@code queue.depth} gauge point of service {@code shop}, stamped now. */
  static ExportMetricsServiceRequest queueDepth(double value) {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder()
            .setKey("service.name").setValue(AnyValue.newBuilder().setStringValue("shop"))))
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder()
            .setName("queue.depth").setGauge(Gauge.newBuilder().addDataPoints(
                NumberDataPoint.newBuilder().setAsDouble(value)
                    .setTimeUnixNano(System.currentTimeMillis() * 1_000_000L)))))).build();
  }
}
