package dev.sextant.collector.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.collector.limits.IngestLimits;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import org.junit.jupiter.api.Test;

class LogConverterTest {
  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder().setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  @Test
  void convert_cutsNamesAndIdsAndDropsLongKeysWithAWarning() {
    LogConverter converter = new LogConverter(IngestLimits.builder().maxNameLength(8)
        .maxCorrelationIdLength(8).maxAttributeKeyLength(14).build());
    ExportLogsServiceRequest r = ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(kv("service.name", "svc")))
            .addScopeLogs(ScopeLogs.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("scope-name-long"))
                .addLogRecords(LogRecord.newBuilder().setTimeUnixNano(1)
                    .setSeverityText("SEVERE-AND-LONG")
                    .setBody(AnyValue.newBuilder().setStringValue("body"))
                    .addAttributes(kv("correlation_id", "c".repeat(40_000)))
                    .addAttributes(kv("user", "alice"))
                    .addAttributes(kv("k".repeat(15), "v"))))).build();
    LogConverter.Conversion c = converter.convert(r);
    assertThat(c.rejected()).isZero();
    assertThat(c.warning()).isEqualTo("scope name: 15 characters (expected: <= 8), truncated");
    dev.sextant.storage.LogRecord rec = c.records().get(0);
    assertThat(rec.serviceName()).isEqualTo("svc");
    assertThat(rec.scopeName()).isEqualTo("scope-na");
    assertThat(rec.severityText()).isEqualTo("SEVERE-A");
    assertThat(rec.correlationId()).isEqualTo("cccccccc");
    assertThat(rec.attributes()).containsOnlyKeys("correlation_id", "user");
    assertThat(rec.droppedAttributesCount()).isEqualTo(1);
  }
}
