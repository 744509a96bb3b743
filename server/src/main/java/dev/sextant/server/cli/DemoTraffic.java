package dev.sextant.server.cli;

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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Sends shop-shaped traces across several services with the real OpenTelemetry SDK. */
final class DemoTraffic {
  private DemoTraffic() {}

  static List<String> send(String endpoint, int count) throws InterruptedException {
    List<SdkTracerProvider> providers = new ArrayList<>();
    Tracer gateway = tracer(providers, endpoint, "gateway");
    Tracer orders = tracer(providers, endpoint, "orders");
    Tracer inventory = tracer(providers, endpoint, "inventory");
    Tracer payments = tracer(providers, endpoint, "payments");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      boolean fail = i == count - 1;
      String correlationId = UUID.randomUUID().toString();
      Span root = gateway.spanBuilder("POST /api/orders").setSpanKind(SpanKind.SERVER)
          .setAttribute("http.request.method", "POST").setAttribute("url.path", "/api/orders")
          .setAttribute("correlation_id", correlationId).startSpan();
      try (Scope s1 = root.makeCurrent()) {
        Span call = gateway.spanBuilder("POST orders").setSpanKind(SpanKind.CLIENT)
            .setAttribute("peer.service", "orders").startSpan();
        try (Scope s2 = call.makeCurrent()) {
          Span handle = orders.spanBuilder("createOrder").setSpanKind(SpanKind.SERVER).startSpan();
          try (Scope s3 = handle.makeCurrent()) {
            Span db = inventory.spanBuilder("SELECT stock").setSpanKind(SpanKind.CLIENT)
                .setAttribute("db.system", "h2")
                .setAttribute("db.query.text", "SELECT qty FROM stock WHERE sku = ?").startSpan();
            sleep(3);
            db.end();
            Span charge = payments.spanBuilder("chargeCard").setSpanKind(SpanKind.SERVER)
                .setAttribute("payment.amount", 42.5).startSpan();
            sleep(5);
            if (fail) {
              charge.setStatus(StatusCode.ERROR, "card declined");
              charge.addEvent("exception", Attributes.builder()
                  .put("exception.type", "CardDeclinedException")
                  .put("exception.message", "card declined").build());
            }
            charge.end();
          } finally {
            handle.end();
          }
        } finally {
          call.end();
        }
      } finally {
        if (fail) {
          root.setStatus(StatusCode.ERROR);
        }
        root.end();
      }
      ids.add(root.getSpanContext().getTraceId());
    }
    for (SdkTracerProvider p : providers) {
      p.forceFlush().join(10, TimeUnit.SECONDS);
      p.shutdown().join(10, TimeUnit.SECONDS);
    }
    return ids;
  }

  private static Tracer tracer(List<SdkTracerProvider> providers, String endpoint, String service) {
    SdkTracerProvider p = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
            io.opentelemetry.api.common.AttributeKey.stringKey("service.name"), service))))
        .addSpanProcessor(BatchSpanProcessor.builder(
            OtlpGrpcSpanExporter.builder().setEndpoint(endpoint).build()).build())
        .build();
    providers.add(p);
    return p.get("sextant-demo");
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
