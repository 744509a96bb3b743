package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.sextant.storage.Ids;
import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogRecord;
import dev.sextant.storage.Storage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real SDK log exporters (gRPC, HTTP) and the OTLP JSON logs example, read back from storage. */
class LogsIngestTest {
  @TempDir
  Path dataDir;

  private static SdkLoggerProvider provider(String service, LogRecordExporter exporter) {
    return SdkLoggerProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"),
            service)))
        .addLogRecordProcessor(SimpleLogRecordProcessor.create(exporter)).build();
  }

  @Test
  void sdkExportersAndJsonExample_logsAreStoredWithTraceAndCorrelationIds() throws Exception {
    String traceId;
    String spanId;
    try (SextantServer server = SextantServer.builder().dataDir(dataDir).bindAddress("127.0.0.1")
        .grpcPort(0).otlpHttpPort(0).httpPort(0).retention(TestStorage.KEEP_ALL).build()) {
      server.start();
      SdkLoggerProvider grpc = provider("orders", OtlpGrpcLogRecordExporter.builder()
          .setEndpoint("http://127.0.0.1:" + server.grpcPort()).build());
      SdkLoggerProvider http = provider("payments", OtlpHttpLogRecordExporter.builder()
          .setEndpoint("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/logs").build());
      Span span = Span.wrap(SpanContext.create(
          Ids.toHex(OtlpRequests.randomId(16)),
          Ids.toHex(OtlpRequests.randomId(8)),
          TraceFlags.getSampled(),
          TraceState.getDefault()));
      try (Scope s = span.makeCurrent()) {
        grpc.get("app").logRecordBuilder().setSeverity(Severity.ERROR)
            .setBody("payment declined for order 42")
            .setAttribute(AttributeKey.stringKey("correlation_id"), "corr-123").emit();
        http.get("app").logRecordBuilder().setSeverity(Severity.INFO)
            .setBody("charging card")
            .setAttribute(AttributeKey.stringKey("correlation.id"), "corr-123").emit();
      }
      span.end();
      traceId = span.getSpanContext().getTraceId();
      spanId = span.getSpanContext().getSpanId();
      assertThat(grpc.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(http.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      byte[] json = getClass().getResourceAsStream("/otlp/logs.json").readAllBytes();
      AggregatedHttpResponse r = WebClient.of("http://127.0.0.1:" + server.otlpHttpPort())
          .execute(RequestHeaders.builder(HttpMethod.POST, "/v1/logs")
              .contentType(MediaType.JSON).build(), HttpData.wrap(json)).aggregate().join();
      assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(200);
    }
    try (Storage storage = TestStorage.open(dataDir)) {
      List<LogRecord> corr = storage.logReader().search(LogQuery.builder()
          .correlationId("corr-123").build()).records();
      assertThat(corr).extracting(LogRecord::serviceName)
          .containsExactlyInAnyOrder("orders", "payments");
      assertThat(corr).allSatisfy(l -> {
        assertThat(l.traceId()).isEqualTo(traceId);
        assertThat(l.spanId()).isEqualTo(spanId);
      });
      assertThat(storage.logReader().search(LogQuery.builder().text("declined").build())
          .records()).singleElement()
          .satisfies(l -> assertThat(l.severityNumber()).isEqualTo(Severity.ERROR.getSeverityNumber()));
      List<LogRecord> example = storage.logReader().search(LogQuery.builder()
          .serviceName("my.service").build()).records();
      assertThat(example).singleElement().satisfies(l -> {
        assertThat(l.body()).isEqualTo("Example log record");
        assertThat(l.traceId()).isEqualTo("5b8efff798038103d269b633813fc60c");
        assertThat(l.spanId()).isEqualTo("eee19b7ec3c1b174");
        assertThat(l.severityText()).isEqualTo("Information");
        assertThat(l.attributes()).containsEntry("string.attribute", "some string")
            .containsEntry("int.attribute", 10L).containsEntry("boolean.attribute", true)
            .containsEntry("double.attribute", 637.704)
            .containsEntry("array.attribute", List.of("many", "values"))
            .containsEntry("map.attribute", Map.of("some.map.key", "some value"));
        assertThat(l.timeUnixNano()).isEqualTo(1544712660300000000L);
      });
    }
  }
}
