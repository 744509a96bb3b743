package dev.sextant.storage;

import java.util.Map;

/** Builds a {@link LogRecord}; unset strings default to empty, maps to empty, numbers to 0. */
public final class LogRecordBuilder {
  private long time;
  private long observedTime;
  private int severityNumber;
  private String severityText = "";
  private String body = "";
  private Map<String, Object> attributes = Map.of();
  private String traceId = "";
  private String spanId = "";
  private String correlationId = "";
  private String serviceName = "unknown_service";
  private Map<String, Object> resource = Map.of();
  private String scopeName = "";
  private int flags;
  private int droppedAttributes;

  LogRecordBuilder() {}

  public LogRecordBuilder timeUnixNano(long v) { time = v; return this; }
  public LogRecordBuilder observedTimeUnixNano(long v) { observedTime = v; return this; }
  public LogRecordBuilder severityNumber(int v) { severityNumber = v; return this; }
  public LogRecordBuilder severityText(String v) { severityText = v; return this; }
  public LogRecordBuilder body(String v) { body = v; return this; }
  public LogRecordBuilder attributes(Map<String, Object> v) { attributes = v; return this; }
  public LogRecordBuilder traceId(String v) { traceId = v; return this; }
  public LogRecordBuilder spanId(String v) { spanId = v; return this; }
  public LogRecordBuilder correlationId(String v) { correlationId = v; return this; }
  public LogRecordBuilder serviceName(String v) { serviceName = v; return this; }
  public LogRecordBuilder resourceAttributes(Map<String, Object> v) { resource = v; return this; }
  public LogRecordBuilder scopeName(String v) { scopeName = v; return this; }
  public LogRecordBuilder flags(int v) { flags = v; return this; }
  public LogRecordBuilder droppedAttributesCount(int v) { droppedAttributes = v; return this; }

  public LogRecord build() {
    return new LogRecord(time, observedTime, severityNumber, severityText, body, attributes,
        traceId, spanId, correlationId, serviceName, resource, scopeName, flags, droppedAttributes);
  }
}
