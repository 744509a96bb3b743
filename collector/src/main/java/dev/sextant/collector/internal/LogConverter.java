package dev.sextant.collector.internal;

import dev.sextant.collector.limits.IngestLimits;
import dev.sextant.storage.Ids;
import dev.sextant.storage.LogRecord;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Validates and converts OTLP log records. A trace or span ID of the wrong length (or all zero
 * when set) rejects the record; a correlation ID is taken from the {@code correlation_id},
 * {@code correlation.id} or {@code http.request.header.x-correlation-id} attribute. Service,
 * scope name and severity text are truncated to {@link IngestLimits#maxNameLength()}, the
 * correlation ID to {@link IngestLimits#maxCorrelationIdLength()} (a warning in the response);
 * attributes are bounded as {@link OtlpAttributes} says.
 */
public final class LogConverter {
  static final List<String> CORRELATION_KEYS = List.of("correlation_id", "correlation.id",
      "http.request.header.x-correlation-id");

  private final IngestLimits limits;

  public LogConverter(IngestLimits limits) {
    this.limits = limits;
  }

  /** Records to store, rejected count, first reason, first cut to the limits (or null). */
  public record Conversion(List<LogRecord> records, long rejected, String errorMessage,
      String warning) {}

  public Conversion convert(ExportLogsServiceRequest request) {
    Truncations cut = new Truncations();
    OtlpAttributes attrs = new OtlpAttributes(limits, cut);
    int maxName = limits.maxNameLength();
    List<LogRecord> out = new ArrayList<>();
    long rejected = 0;
    String first = null;
    for (ResourceLogs rl : request.getResourceLogsList()) {
      Map<String, Object> resource = attrs.toMap(rl.getResource().getAttributesList());
      String service = OtlpAttributes.stringValue(rl.getResource().getAttributesList(),
          "service.name");
      service = cut.name("service.name",
          service == null || service.isEmpty() ? "unknown_service" : service, maxName);
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        String scopeName = cut.name("scope name", sl.getScope().getName(), maxName);
        for (io.opentelemetry.proto.logs.v1.LogRecord r : sl.getLogRecordsList()) {
          String error = validate(r);
          if (error != null) {
            rejected++;
            first = first == null ? error : first;
            continue;
          }
          Map<String, Object> a = attrs.toMap(r.getAttributesList());
          out.add(LogRecord.builder()
              .timeUnixNano(r.getTimeUnixNano())
              .observedTimeUnixNano(r.getObservedTimeUnixNano() != 0
                  ? r.getObservedTimeUnixNano() : System.currentTimeMillis() * 1_000_000L)
              .severityNumber(Math.min(LogRecord.MAX_SEVERITY, Math.max(0,
                  r.getSeverityNumberValue())))
              .severityText(cut.name("log record severity_text", r.getSeverityText(), maxName))
              .body(body(r.getBody()))
              .attributes(a)
              .droppedAttributesCount(r.getDroppedAttributesCount() + attrs.dropped())
              .traceId(r.getTraceId().isEmpty() ? "" : Ids.toHex(r.getTraceId().toByteArray()))
              .spanId(r.getSpanId().isEmpty() ? "" : Ids.toHex(r.getSpanId().toByteArray()))
              .correlationId(cut.name("log record correlation_id", correlationId(r),
                  limits.maxCorrelationIdLength()))
              .serviceName(service)
              .resourceAttributes(resource)
              .scopeName(scopeName)
              .flags(r.getFlags())
              .build());
        }
      }
    }
    return new Conversion(out, rejected, first, cut.first());
  }

  private String body(AnyValue v) {
    String s = v.getValueCase() == AnyValue.ValueCase.VALUE_NOT_SET ? "" : AnyValueText.of(v);
    // Bodies are free text and may be long: allow 16x the attribute limit before truncating.
    int max = limits.maxAttributeValueLength() * 16;
    return OtlpAttributes.truncate(s, max);
  }

  private static String correlationId(io.opentelemetry.proto.logs.v1.LogRecord r) {
    for (String key : CORRELATION_KEYS) {
      for (var kv : r.getAttributesList()) {
        if (kv.getKey().equals(key)) {
          AnyValue v = kv.getValue();
          if (v.hasStringValue()) {
            return v.getStringValue();
          }
          if (v.hasArrayValue() && v.getArrayValue().getValuesCount() > 0) {
            return AnyValueText.of(v.getArrayValue().getValues(0)); // header values are arrays
          }
        }
      }
    }
    return "";
  }

  private static String validate(io.opentelemetry.proto.logs.v1.LogRecord r) {
    if (!r.getTraceId().isEmpty() && !Ids.isValidTraceId(r.getTraceId().asReadOnlyByteBuffer())) {
      return "log record: trace_id must be empty or 16 bytes not all zero (got "
          + r.getTraceId().size() + " bytes)";
    }
    if (!r.getSpanId().isEmpty() && !Ids.isValidSpanId(r.getSpanId().asReadOnlyByteBuffer())) {
      return "log record: span_id must be empty or 8 bytes not all zero (got "
          + r.getSpanId().size() + " bytes)";
    }
    // fixed64 on the wire: past 2^63 ns (the year 2262) it does not fit the store's long.
    if (r.getTimeUnixNano() < 0 || r.getObservedTimeUnixNano() < 0) {
      return "log record: time_unix_nano " + Long.toUnsignedString(r.getTimeUnixNano())
          + ", observed_time_unix_nano " + Long.toUnsignedString(r.getObservedTimeUnixNano())
          + " (expected: < 2^63)";
    }
    return null;
  }

}
