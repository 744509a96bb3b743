package dev.sextant.server.ui;

import com.sun.management.OperatingSystemMXBean;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small shop instrumented with the real OpenTelemetry SDK, exporting to a Sextant server:
 * traces over OTLP/gRPC, logs and metrics over OTLP/HTTP. Each order is frontend
 * {@code GET /checkout} → checkout {@code PlaceOrder} → payments {@code Charge}; every fourth
 * charge fails. Logs are emitted inside the spans (so they carry trace and span IDs) with the
 * order's correlation ID; checkout reports a {@code queue.depth} gauge and its CPU use.
 */
final class ShopTelemetry implements AutoCloseable {
  static final AttributeKey<String> CORRELATION = AttributeKey.stringKey("correlation_id");

  /** One order as sent: its trace, the checkout span and the correlation ID. */
  record Order(String traceId, String placeOrderSpanId, String correlationId, boolean failed) {}

  private final List<SdkTracerProvider> tracers = new ArrayList<>();
  private final List<SdkLoggerProvider> loggers = new ArrayList<>();
  private final SdkMeterProvider meters;
  private final String grpc;
  private final String http;
  final List<Order> orders = new ArrayList<>();
  volatile double queueDepth = 12;

  ShopTelemetry(int grpcPort, int otlpHttpPort) {
    grpc = "http://127.0.0.1:" + grpcPort;
    http = "http://127.0.0.1:" + otlpHttpPort;
    meters = SdkMeterProvider.builder().setResource(resource("checkout"))
        .registerMetricReader(PeriodicMetricReader.builder(OtlpHttpMetricExporter.builder()
            .setEndpoint(http + "/v1/metrics").build()).setInterval(Duration.ofMillis(500))
            .build())
        .build();
    var meter = meters.get("shop");
    meter.gaugeBuilder("queue.depth").buildWithCallback(m -> m.record(queueDepth));
    var os = (OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean();
    meter.gaugeBuilder("jvm_cpu_recent_utilization_ratio")
        .buildWithCallback(m -> m.record(Math.max(0, os.getProcessCpuLoad())));
  }

  private static Resource resource(String service) {
    return Resource.getDefault().merge(Resource.create(Attributes.of(
        AttributeKey.stringKey("service.name"), service,
        AttributeKey.stringKey("host.name"), service + "-1")));
  }

  private Tracer tracer(String service) {
    SdkTracerProvider p = SdkTracerProvider.builder().setResource(resource(service))
        .addSpanProcessor(BatchSpanProcessor.builder(OtlpGrpcSpanExporter.builder()
            .setEndpoint(grpc).build()).setScheduleDelay(Duration.ofMillis(200)).build())
        .build();
    tracers.add(p);
    return p.get("shop");
  }

  private Logger logger(String service) {
    SdkLoggerProvider p = SdkLoggerProvider.builder().setResource(resource(service))
        .addLogRecordProcessor(BatchLogRecordProcessor.builder(OtlpHttpLogRecordExporter.builder()
            .setEndpoint(http + "/v1/logs").build()).setScheduleDelay(Duration.ofMillis(200))
            .build())
        .build();
    loggers.add(p);
    return p.get("shop");
  }

  /**
   * Sends {@code n} orders in {@code batches} flushed bursts {@code pause} apart, as traffic over
   * time (the span-derived rates need the counters to grow between samples).
   */
  void sendOrders(int n, int batches, Duration pause) throws InterruptedException {
    Tracer front = tracer("frontend");
    Tracer checkout = tracer("checkout");
    Tracer payments = tracer("payments");
    Logger checkoutLog = logger("checkout");
    Logger paymentsLog = logger("payments");
    for (int i = 0; i < n; i++) {
      if (i > 0 && i % (n / batches) == 0) {
        flush();
        Thread.sleep(pause.toMillis());
      }
      long t0 = System.currentTimeMillis() - 200 + i % (n / batches) * 20L;
      String corr = "order-" + (4700 + i);
      boolean fail = i % 4 == 3;
      Span root = front.spanBuilder("GET /checkout").setSpanKind(SpanKind.SERVER)
          .setStartTimestamp(t0, TimeUnit.MILLISECONDS)
          .setAttribute("http.request.method", "GET").setAttribute("http.route", "/checkout")
          .setAttribute(CORRELATION, corr).startSpan();
      String placeOrderId;
      try (Scope s = root.makeCurrent()) {
        Span call = front.spanBuilder("POST /orders").setSpanKind(SpanKind.CLIENT)
            .setStartTimestamp(t0 + 4, TimeUnit.MILLISECONDS).startSpan();
        try (Scope c = call.makeCurrent()) {
          Span place = checkout.spanBuilder("PlaceOrder").setSpanKind(SpanKind.SERVER)
              .setStartTimestamp(t0 + 6, TimeUnit.MILLISECONDS).setAttribute(CORRELATION, corr)
              .setAttribute("order.items", 1 + i % 3).startSpan();
          placeOrderId = place.getSpanContext().getSpanId();
          try (Scope p = place.makeCurrent()) {
            checkoutLog.logRecordBuilder().setSeverity(Severity.INFO).setSeverityText("INFO")
                .setBody("placing " + corr + " for customer " + (40 + i))
                .setAttribute(CORRELATION, corr).emit();
            charge(checkout, payments, paymentsLog, t0, corr, fail, i);
          } finally {
            place.end(t0 + 80 + (fail ? 40 : 0) + i % 5, TimeUnit.MILLISECONDS);
          }
        } finally {
          call.end(t0 + 84 + (fail ? 40 : 0) + i % 5, TimeUnit.MILLISECONDS);
        }
      } finally {
        root.end(t0 + 90 + (fail ? 40 : 0) + i % 5, TimeUnit.MILLISECONDS);
      }
      orders.add(new Order(root.getSpanContext().getTraceId(), placeOrderId, corr, fail));
    }
    flush();
  }

  private void flush() {
    tracers.forEach(p -> p.forceFlush().join(10, TimeUnit.SECONDS));
    loggers.forEach(p -> p.forceFlush().join(10, TimeUnit.SECONDS));
  }

  private static void charge(Tracer checkout, Tracer payments, Logger log, long t0, String corr,
      boolean fail, int i) {
    Span call = checkout.spanBuilder("POST /charge").setSpanKind(SpanKind.CLIENT)
        .setStartTimestamp(t0 + 12, TimeUnit.MILLISECONDS).startSpan();
    try (Scope c = call.makeCurrent()) {
      Span charge = payments.spanBuilder("Charge").setSpanKind(SpanKind.SERVER)
          .setStartTimestamp(t0 + 15, TimeUnit.MILLISECONDS).setAttribute(CORRELATION, corr)
          .startSpan();
      try (Scope s = charge.makeCurrent()) {
        if (fail) {
          charge.setStatus(StatusCode.ERROR, "card declined");
          log.logRecordBuilder().setSeverity(Severity.ERROR).setSeverityText("ERROR")
              .setBody("card declined by issuer for " + corr).setAttribute(CORRELATION, corr)
              .emit();
        } else {
          log.logRecordBuilder().setSeverity(Severity.INFO).setSeverityText("INFO")
              .setBody("charged " + corr).setAttribute(CORRELATION, corr).emit();
        }
      } finally {
        charge.end(t0 + 60 + (fail ? 40 : 0) + i % 5, TimeUnit.MILLISECONDS);
      }
    } finally {
      call.end(t0 + 64 + (fail ? 40 : 0) + i % 5, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void close() {
    tracers.forEach(p -> p.shutdown().join(10, TimeUnit.SECONDS));
    loggers.forEach(p -> p.shutdown().join(10, TimeUnit.SECONDS));
    meters.shutdown().join(10, TimeUnit.SECONDS);
  }
}
