package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.sextant.storage.Ids;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The poison records (40,000-character span name, service, attribute key, log
 * correlation ID and service) sent to a real server over OTLP/HTTP, then a restart on the same
 * data directory: before the limits, the server answered 200 and then never started again.
 */
class PoisonRestartTest {
  private static final String HUGE = "x".repeat(40_000);
  private static final MediaType PROTOBUF = MediaType.parse("application/x-protobuf");

  @TempDir
  Path dataDir;

  @Test
  void poisonSpansAndLogs_thenRestart_serverStartsAndServesEverything() throws Exception {
    byte[] trace = OtlpRequests.randomId(16);
    String traceId = Ids.toHex(trace);
    long now = System.currentTimeMillis() * 1_000_000L;
    ExportTraceServiceRequest spans = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(resourceSpans("shop", span(trace, 1, "GET /", "k", now),
            span(trace, 2, HUGE, "k", now), span(trace, 3, "child", HUGE, now)))
        .addResourceSpans(resourceSpans(HUGE, span(trace, 4, "child", "k", now))).build();
    ExportLogsServiceRequest logs = ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(resourceLogs("shop", log(trace, "good", "c-1", now),
            log(trace, "long correlation", HUGE, now)))
        .addResourceLogs(resourceLogs(HUGE, log(trace, "long service", "c-2", now))).build();

    try (SextantServer server = start()) {
      WebClient otlp = WebClient.of("http://127.0.0.1:" + server.otlpHttpPort());
      ExportTraceServiceResponse tr = ExportTraceServiceResponse.parseFrom(
          post(otlp, "/v1/traces", spans.toByteArray()).content().array());
      assertThat(tr.getPartialSuccess().getRejectedSpans()).isZero();
      assertThat(tr.getPartialSuccess().getErrorMessage())
          .isEqualTo("span name: 40000 characters (expected: <= 1024), truncated");
      ExportLogsServiceResponse lr = ExportLogsServiceResponse.parseFrom(
          post(otlp, "/v1/logs", logs.toByteArray()).content().array());
      assertThat(lr.getPartialSuccess().getRejectedLogRecords()).isZero();
      assertThat(lr.getPartialSuccess().getErrorMessage())
          .isEqualTo("log record correlation_id: 40000 characters (expected: <= 256), "
              + "truncated");
    }
    try (SextantServer again = start()) {
      TestClient.Response health = TestClient.get(again.httpPort(), "/health");
      assertThat(health.status()).as(health.body()).isEqualTo(200);
      TestClient.Response t = TestClient.get(again.httpPort(), "/api/traces/" + traceId);
      assertThat(t.status()).as(t.body()).isEqualTo(200);
      assertThat(t.json().get("spanCount").asInt()).isEqualTo(4);
      TestClient.Response l = TestClient.get(again.httpPort(), "/api/logs?traceId=" + traceId);
      assertThat(l.status()).as(l.body()).isEqualTo(200);
      List<String> bodies = new ArrayList<>();
      for (JsonNode r : l.json().get("records")) {
        bodies.add(r.get("body").asText());
      }
      assertThat(bodies).containsExactlyInAnyOrder("good", "long correlation", "long service");
      TestClient.Response m = TestClient.get(again.httpPort(), "/metrics");
      assertThat(m.body()).contains("sextant_storage_unindexed_records_total{signal=\"traces\"}");
    }
  }

  private SextantServer start() {
    SextantServer s = SextantServer.builder().dataDir(dataDir).bindAddress("127.0.0.1")
        .grpcPort(0).otlpHttpPort(0).httpPort(0).build();
    s.start();
    return s;
  }

  private static AggregatedHttpResponse post(WebClient c, String path, byte[] body) {
    AggregatedHttpResponse r = c.execute(RequestHeaders.builder(HttpMethod.POST, path)
        .contentType(PROTOBUF).build(), HttpData.wrap(body)).aggregate().join();
    assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(200);
    return r;
  }

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder().setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  private static Span span(byte[] trace, int id, String name, String attributeKey, long now) {
    Span.Builder b = Span.newBuilder().setTraceId(ByteString.copyFrom(trace))
        .setSpanId(ByteString.copyFrom(OtlpRequests.spanId(id))).setName(name)
        .setStartTimeUnixNano(now).setEndTimeUnixNano(now + 1_000_000)
        .addAttributes(kv(attributeKey, "v"));
    if (id != 1) {
      b.setParentSpanId(ByteString.copyFrom(OtlpRequests.spanId(1)));
    }
    return b.build();
  }

  private static LogRecord log(byte[] trace, String body, String correlationId, long now) {
    return LogRecord.newBuilder().setTimeUnixNano(now).setTraceId(ByteString.copyFrom(trace))
        .setBody(AnyValue.newBuilder().setStringValue(body))
        .addAttributes(kv("correlation_id", correlationId)).build();
  }

  private static ResourceSpans resourceSpans(String service, Span... spans) {
    return ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(kv("service.name", service)))
        .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans))).build();
  }

  private static ResourceLogs resourceLogs(String service, LogRecord... records) {
    return ResourceLogs.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(kv("service.name", service)))
        .addScopeLogs(ScopeLogs.newBuilder().addAllLogRecords(List.of(records))).build();
  }
}
