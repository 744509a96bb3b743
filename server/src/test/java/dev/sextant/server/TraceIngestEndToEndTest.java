package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The foundation's user story: real OpenTelemetry SDK exporters (gRPC and HTTP/protobuf) send a
 * three-level trace across two services; the query API returns it as a tree, also after restart.
 */
class TraceIngestEndToEndTest {
  @TempDir
  Path dataDir;

  private static SdkTracerProvider provider(String service, SpanExporter exporter) {
    return SdkTracerProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"),
            service)))
        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
        .build();
  }

  @Test
  void sdkExporters_traceIsReturnedAsTreeAndSurvivesRestart() {
    String traceId;
    int httpPort;
    try (SextantServer server = SextantServer.builder().dataDir(dataDir).bindAddress("127.0.0.1")
        .grpcPort(0).otlpHttpPort(0).httpPort(0).build()) {
      server.start();
      SdkTracerProvider frontend = provider("frontend", OtlpGrpcSpanExporter.builder()
          .setEndpoint("http://127.0.0.1:" + server.grpcPort()).build());
      SdkTracerProvider backend = provider("backend", OtlpHttpSpanExporter.builder()
          .setEndpoint("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/traces").build());
      traceId = sendThreeLevelTrace(frontend.get("test"), backend.get("test"));
      assertThat(frontend.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(backend.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      frontend.shutdown().join(10, TimeUnit.SECONDS);
      backend.shutdown().join(10, TimeUnit.SECONDS);

      assertTree(TestClient.get(server.httpPort(), "/api/traces/" + traceId), traceId);
      httpPort = server.httpPort();
    }
    try (SextantServer again = SextantServer.builder().dataDir(dataDir).bindAddress("127.0.0.1")
        .grpcPort(0).otlpHttpPort(0).httpPort(httpPort).build()) {
      again.start();
      assertTree(TestClient.get(again.httpPort(),
          "/api/traces/" + traceId.toUpperCase(Locale.ROOT)), traceId);
    }
  }

  private static String sendThreeLevelTrace(Tracer frontend, Tracer backend) {
    Span root = frontend.spanBuilder("GET /checkout").setSpanKind(SpanKind.SERVER)
        .setAttribute("http.route", "/checkout").startSpan();
    try (Scope r = root.makeCurrent()) {
      Span call = frontend.spanBuilder("GET backend").setSpanKind(SpanKind.CLIENT).startSpan();
      try (Scope c = call.makeCurrent()) {
        Span served = backend.spanBuilder("GET /price").setSpanKind(SpanKind.SERVER)
            .setAttribute("price.currency", "EUR").setAttribute("items", 3L).startSpan();
        served.addEvent("cache miss");
        served.end();
      } finally {
        call.end();
      }
    } finally {
      root.end();
    }
    return root.getSpanContext().getTraceId();
  }

  private static void assertTree(TestClient.Response r, String traceId) {
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode t = r.json();
    assertThat(t.get("traceId").asText()).isEqualTo(traceId);
    assertThat(t.get("spanCount").asInt()).isEqualTo(3);
    assertThat(t.get("roots")).hasSize(1);
    JsonNode root = t.get("roots").get(0);
    assertThat(root.get("service").asText()).isEqualTo("frontend");
    assertThat(root.get("kind").asText()).isEqualTo("SERVER");
    assertThat(root.get("parentSpanId").asText()).isEmpty();
    assertThat(root.get("attributes").get("http.route").asText()).isEqualTo("/checkout");
    assertThat(root.get("depth").asInt()).isZero();
    JsonNode call = root.get("children").get(0);
    assertThat(call.get("parentSpanId").asText()).isEqualTo(root.get("spanId").asText());
    assertThat(call.get("kind").asText()).isEqualTo("CLIENT");
    JsonNode served = call.get("children").get(0);
    assertThat(served.get("service").asText()).isEqualTo("backend");
    assertThat(served.get("parentSpanId").asText()).isEqualTo(call.get("spanId").asText());
    assertThat(served.get("depth").asInt()).isEqualTo(2);
    assertThat(served.get("attributes").get("items").asLong()).isEqualTo(3);
    assertThat(served.get("events").get(0).get("name").asText()).isEqualTo("cache miss");
    assertThat(served.get("resource").get("service.name").asText()).isEqualTo("backend");
    assertThat(Long.parseLong(served.get("startTimeUnixNano").asText())).isPositive();
    assertThat(served.get("durationNanos").asLong()).isNotNegative();
    List<String> ids = new ArrayList<>();
    root.findValues("traceId").forEach(n -> ids.add(n.asText()));
    assertThat(ids).containsOnly(traceId);
  }
}
