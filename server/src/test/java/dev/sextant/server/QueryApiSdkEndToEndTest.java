package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traces sent by the real OpenTelemetry SDK, then read through the native search API, the
 * service graph, golden signals and the Jaeger-compatible API of a running server.
 */
class QueryApiSdkEndToEndTest {
  @TempDir
  Path dataDir;

  @Test
  void sdkTraces_areServedBySearchGraphSignalsAndJaegerApis() {
    try (SextantServer server = SextantServer.builder().dataDir(dataDir).bindAddress("127.0.0.1")
        .grpcPort(0).otlpHttpPort(0).httpPort(0).spanMetricsInterval(Duration.ofMillis(300))
        .build()) {
      server.start();
      List<SdkTracerProvider> providers = new ArrayList<>();
      Tracer front = tracer(providers, server, "frontend");
      Tracer cart = tracer(providers, server, "cart");
      String failed = null;
      for (int i = 0; i < 3; i++) {
        Span root = front.spanBuilder("GET /checkout").setSpanKind(SpanKind.SERVER).startSpan();
        try (Scope s = root.makeCurrent()) {
          Span call = front.spanBuilder("GET cart").setSpanKind(SpanKind.CLIENT).startSpan();
          try (Scope c = call.makeCurrent()) {
            Span served = cart.spanBuilder("GET /items").setSpanKind(SpanKind.SERVER)
                .setAttribute("correlation_id", "corr-" + i).startSpan();
            if (i == 2) {
              served.setStatus(StatusCode.ERROR, "out of stock");
              failed = root.getSpanContext().getTraceId();
            }
            served.end();
          } finally {
            call.end();
          }
        } finally {
          root.end();
        }
      }
      providers.forEach(p -> p.forceFlush().join(10, TimeUnit.SECONDS));
      providers.forEach(p -> p.shutdown().join(10, TimeUnit.SECONDS));
      int port = server.httpPort();

      JsonNode search = TestClient.get(port, "/api/search?service=cart&error=true").json();
      assertThat(search.toString()).contains(failed);
      assertThat(TestClient.get(port, "/api/services").json().toString())
          .contains("frontend").contains("cart");
      assertThat(TestClient.get(port, "/api/dependencies").json().toString())
          .contains("\"caller\":\"frontend\"").contains("\"callee\":\"cart\"");
      assertThat(TestClient.get(port, "/api/correlations/corr-1").json().toString())
          .contains("corr-1");
      assertThat(TestClient.get(port, "/api/search?start=abc").status()).isEqualTo(400);

      JsonNode jaeger = TestClient.get(port, "/jaeger/api/traces/" + failed).json();
      JsonNode jspan = jaeger.get("data").get(0);
      assertThat(jspan.get("traceID").asText()).isEqualTo(failed);
      assertThat(jspan.get("processes").toString()).contains("\"serviceName\":\"cart\"");
      assertThat(jspan.get("spans")).as(jaeger.toString()).hasSize(3);
      assertThat(jaeger.has("total") && jaeger.has("limit") && jaeger.has("offset")
          && jaeger.has("errors")).isTrue();
      assertThat(TestClient.get(port, "/jaeger/api/services").json().get("data").toString())
          .contains("frontend");

      // Golden signals come from the span-derived RED series through PromQL.
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        JsonNode signals = TestClient.get(port, "/api/services/cart/signals?step=15s").json()
            .get("signals");
        assertThat(signals.get("traffic").get("series").size()).isPositive();
        assertThat(signals.get("errors").get("series").size()).isPositive();
      });
    }
  }

  private static Tracer tracer(List<SdkTracerProvider> providers, SextantServer server,
      String service) {
    SdkTracerProvider p = SdkTracerProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"),
            service)))
        .addSpanProcessor(BatchSpanProcessor.builder(OtlpGrpcSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + server.grpcPort()).build()).build())
        .build();
    providers.add(p);
    return p.get("test");
  }
}
