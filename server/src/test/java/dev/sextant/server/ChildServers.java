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
import java.util.concurrent.TimeUnit;

/** Helpers for tests that run the server in a child JVM, and their OTLP payloads. */
final class ChildServers {
  private ChildServers() {}

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
