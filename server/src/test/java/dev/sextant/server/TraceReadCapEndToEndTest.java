package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code maxSpansPerTraceRead} as the server wires it: a trace sent by the OpenTelemetry SDK with
 * more spans than the limit is answered cut, with {@code truncated}, by the trace API and Jaeger's.
 */
class TraceReadCapEndToEndTest {
  @TempDir
  Path dataDir;

  @Test
  void traceOverTheReadLimit_isAnsweredCutWithTruncated() {
    try (SextantServer server = SextantServer.builder().dataDir(dataDir).bindAddress("127.0.0.1")
        .grpcPort(0).otlpHttpPort(0).httpPort(0).maxSpansPerTraceRead(3).build()) {
      server.start();
      SdkTracerProvider sdk = SdkTracerProvider.builder()
          .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"),
              "batch")))
          .addSpanProcessor(BatchSpanProcessor.builder(OtlpGrpcSpanExporter.builder()
              .setEndpoint("http://127.0.0.1:" + server.grpcPort())
              .setTimeout(Duration.ofSeconds(30)).build()).build()) // one export
          .build();
      Tracer tracer = sdk.get("test");
      Span root = tracer.spanBuilder("job").startSpan();
      try (Scope s = root.makeCurrent()) {
        for (int i = 0; i < 7; i++) {
          tracer.spanBuilder("item " + i).startSpan().end();
        }
      } finally {
        root.end();
      }
      String traceId = root.getSpanContext().getTraceId();
      assertThat(sdk.forceFlush().join(60, TimeUnit.SECONDS).isSuccess()).isTrue();
      sdk.shutdown().join(10, TimeUnit.SECONDS);

      JsonNode t = TestClient.get(server.httpPort(), "/api/traces/" + traceId).json();
      assertThat(t.path("truncated").asBoolean()).as(t.toString()).isTrue();
      assertThat(t.path("maxSpans").asInt()).isEqualTo(3);
      assertThat(t.path("spanCount").asInt()).isEqualTo(3);
      assertThat(t.path("warnings").get(0).asText()).contains("trace truncated at 3 spans");
      JsonNode jaeger = TestClient.get(server.httpPort(), "/jaeger/api/traces/" + traceId).json()
          .path("data").get(0);
      assertThat(jaeger.path("spans")).hasSize(3);
      assertThat(jaeger.path("truncated").asBoolean()).isTrue();
    }
  }
}
