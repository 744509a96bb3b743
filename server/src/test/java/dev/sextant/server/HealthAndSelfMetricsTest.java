package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.grpc.GrpcClients;
import dev.sextant.storage.embedded.EmbeddedStorage;
import dev.sextant.storage.Storage;
import dev.sextant.storage.metrics.LabelMatcher;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthAndSelfMetricsTest {
  @TempDir
  Path dataDir;

  @Test
  void health_reportsEveryCheckAnd503WhenAThresholdIsCrossed() {
    try (SextantServer server = SextantServer.builder().dataDir(dataDir).bindAddress("127.0.0.1")
        .grpcPort(0).otlpHttpPort(0).httpPort(0).healthThresholds(Long.MAX_VALUE, 0.95).build()) {
      server.start();
      TestClient.Response r = TestClient.get(server.httpPort(), "/health");
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.json().get("status").asText()).isEqualTo("unhealthy");
      assertThat(r.json().get("checks").get("storage").get("status").asText()).isEqualTo("up");
      assertThat(r.json().get("checks").get("disk_space").get("status").asText())
          .isEqualTo("down");
      assertThat(r.json().get("checks").get("memory").get("status").asText()).isEqualTo("up");
    }
  }

  @Test
  void metrics_countIngestPerSignalAndTenantAndSpanMetricsAreWritten() {
    try (SextantServer server = SextantServer.builder().dataDir(dataDir).bindAddress("127.0.0.1")
        .grpcPort(0).otlpHttpPort(0).httpPort(0).spanMetricsInterval(Duration.ofMillis(200))
        .build()) {
      server.start();
      GrpcClients.newClient("http://127.0.0.1:" + server.grpcPort(),
          TraceServiceGrpc.TraceServiceBlockingStub.class)
          .export(OtlpRequests.trace(OtlpRequests.randomId(16), 4, "red-svc"));
      String text = TestClient.get(server.httpPort(), "/metrics").body();
      assertThat(text).contains("sextant_ingest_items_received_total{signal=\"traces\","
          + "tenant=\"default\"}")
          .contains("sextant_ingest_request_duration_seconds_bucket")
          .contains("sextant_ingest_queue_bytes")
          .contains("jvm_memory_used_bytes");
    } // close() writes a last span-metrics flush

    try (Storage storage = EmbeddedStorage.open(dataDir)) {
      var calls = storage.metricReader().select(List.of(
          LabelMatcher.eq("__name__", "traces_span_metrics_calls_total"),
          LabelMatcher.eq("service_name", "red-svc")), 0, Long.MAX_VALUE);
      assertThat(calls).hasSize(4); // op-0 .. op-3
      assertThat(calls.get(0).labels().get("span_kind")).isEqualTo("SPAN_KIND_UNSPECIFIED");
      assertThat(storage.metricReader().select(List.of(
          LabelMatcher.eq("__name__", "traces_span_metrics_duration_seconds_bucket"),
          LabelMatcher.eq("le", "+Inf")), 0, Long.MAX_VALUE)).hasSize(4);
    }
  }
}
