package dev.sextant.cluster.internal;

import dev.sextant.storage.LogRecord;

/** A log record in the record format, version 1: every field of storage's {@link LogRecord}. */
public final class LogWire {
  private LogWire() {}

  public static void encode(LogRecord l, WireWriter w) {
    w.writeFixed64(l.timeUnixNano());
    // Usually a few milliseconds after the event time, or the only time (then 0 above).
    w.writeZigZag(l.observedTimeUnixNano() - l.timeUnixNano());
    w.writeByte(l.severityNumber());
    w.writeString(l.severityText());
    w.writeString(l.body());
    AttributeWire.writeMap(w, l.attributes());
    AttributeWire.writeId(w, l.traceId());
    AttributeWire.writeId(w, l.spanId());
    w.writeString(l.correlationId());
    w.writeString(l.serviceName());
    AttributeWire.writeMap(w, l.resourceAttributes());
    w.writeString(l.scopeName());
    w.writeVarInt(l.flags());
    w.writeVarInt(l.droppedAttributesCount());
  }

  public static LogRecord decode(WireReader r) {
    long time = r.readFixed64();
    long observed = time + r.readZigZag();
    int severity = r.readByte();
    if (severity > LogRecord.MAX_SEVERITY) {
      throw new CorruptRecordException("severity " + severity);
    }
    if (time < 0 || observed < 0) {
      throw new CorruptRecordException("negative time " + time + "/" + observed);
    }
    return new LogRecord(time, observed, severity, r.readString(), r.readString(),
        AttributeWire.readMap(r), AttributeWire.readId(r), AttributeWire.readId(r),
        r.readString(), r.readString(), AttributeWire.readMap(r), r.readString(), r.readVarInt(),
        r.readVarInt());
  }
}
