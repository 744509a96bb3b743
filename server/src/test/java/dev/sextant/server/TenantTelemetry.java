package dev.sextant.server;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Sends one tenant's traces, logs and metrics with the real OpenTelemetry SDK exporters, over
 * gRPC or HTTP, with the given headers (a token or {@code X-Scope-OrgID}). Every item carries
 * the tenant's name, so a leak is visible as that name in another tenant's answers.
 */
final class TenantTelemetry {
  /** What was sent: the trace id of the one trace. */
  record Sent(String traceId) {}

  private TenantTelemetry() {}

  static Sent send(String name, String endpoint, boolean grpc, Map<String, String> headers,
      byte[] trustedPem) {
    Resource res = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"),
        "svc-" + name));
    SpanExporter spans;
    LogRecordExporter logs;
    MetricExporter metrics;
    if (grpc) {
      var s = OtlpGrpcSpanExporter.builder().setEndpoint(endpoint);
      var l = OtlpGrpcLogRecordExporter.builder().setEndpoint(endpoint);
      var m = OtlpGrpcMetricExporter.builder().setEndpoint(endpoint);
      headers.forEach((k, v) -> {
        s.addHeader(k, v);
        l.addHeader(k, v);
        m.addHeader(k, v);
      });
      if (trustedPem != null) {
        s.setTrustedCertificates(trustedPem);
        l.setTrustedCertificates(trustedPem);
        m.setTrustedCertificates(trustedPem);
      }
      spans = s.build();
      logs = l.build();
      metrics = m.build();
    } else {
      var s = OtlpHttpSpanExporter.builder().setEndpoint(endpoint + "/v1/traces");
      var l = OtlpHttpLogRecordExporter.builder().setEndpoint(endpoint + "/v1/logs");
      var m = OtlpHttpMetricExporter.builder().setEndpoint(endpoint + "/v1/metrics");
      headers.forEach((k, v) -> {
        s.addHeader(k, v);
        l.addHeader(k, v);
        m.addHeader(k, v);
      });
      if (trustedPem != null) {
        s.setTrustedCertificates(trustedPem);
        l.setTrustedCertificates(trustedPem);
        m.setTrustedCertificates(trustedPem);
      }
      spans = s.build();
      logs = l.build();
      metrics = m.build();
    }
    SdkTracerProvider tp = SdkTracerProvider.builder().setResource(res)
        .addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
    SdkLoggerProvider lp = SdkLoggerProvider.builder().setResource(res)
        .addLogRecordProcessor(SimpleLogRecordProcessor.create(logs)).build();
    SdkMeterProvider mp = SdkMeterProvider.builder().setResource(res)
        .registerMetricReader(PeriodicMetricReader.builder(metrics)
            .setInterval(Duration.ofHours(1)).build()).build();
    String traceId;
    var tracer = tp.get("tenant-test");
    Span root = tracer.spanBuilder("GET /" + name).setSpanKind(SpanKind.SERVER).startSpan();
    try (Scope s = root.makeCurrent()) {
      traceId = root.getSpanContext().getTraceId();
      Span call = tracer.spanBuilder("SELECT " + name).setSpanKind(SpanKind.CLIENT)
          .setAttribute("peer.service", "db-" + name).startSpan();
      call.end();
      lp.get("tenant-test").logRecordBuilder().setSeverity(Severity.WARN)
          .setBody(name + " secret log line").emit();
    } finally {
      root.end();
    }
    mp.get("tenant-test").counterBuilder(name + "_orders").build().add(3);
    check(tp.forceFlush().join(10, TimeUnit.SECONDS).isSuccess(), name, "spans");
    check(lp.forceFlush().join(10, TimeUnit.SECONDS).isSuccess(), name, "logs");
    check(mp.forceFlush().join(10, TimeUnit.SECONDS).isSuccess(), name, "metrics");
    tp.shutdown().join(10, TimeUnit.SECONDS);
    lp.shutdown().join(10, TimeUnit.SECONDS);
    mp.shutdown().join(10, TimeUnit.SECONDS);
    return new Sent(traceId);
  }

  private static void check(boolean ok, String name, String what) {
    if (!ok) {
      throw new AssertionError(name + ": exporting " + what + " failed");
    }
  }
}
