package dev.sextant.storage.internal.logs;

import dev.sextant.storage.Ids;
import dev.sextant.storage.LogRecord;
import dev.sextant.storage.internal.kv.AttributeCodec;
import dev.sextant.storage.internal.kv.ByteReader;
import dev.sextant.storage.internal.kv.ByteWriter;

/**
 * The RocksDB value of a log record. IDs are stored as bytes (16 and 8, or none); the record's time
 * is stored here as well as in the key so a record round-trips exactly.
 */
public final class LogCodec {
  private static final int VERSION = 1;

  private LogCodec() {}

  /**
   * Checks the record's IDs.
   *
   * @throws IllegalArgumentException naming the bad ID
   */
  static void validate(LogRecord r) {
    if (!r.traceId().isEmpty() && !Ids.isValidTraceId(r.traceId())) {
      throw new IllegalArgumentException(
          "traceId: " + r.traceId() + " (expected: empty or 32 hex characters, not all zero)");
    }
    if (!r.spanId().isEmpty() && !Ids.isValidSpanId(r.spanId())) {
      throw new IllegalArgumentException(
          "spanId: " + r.spanId() + " (expected: empty or 16 hex characters, not all zero)");
    }
  }

  public static void encode(LogRecord r, ByteWriter w) {
    w.writeByte(VERSION);
    w.writeVarLong(r.timeUnixNano());
    w.writeVarLong(r.observedTimeUnixNano());
    w.writeByte(r.severityNumber());
    w.writeString(r.severityText());
    w.writeString(r.body());
    AttributeCodec.writeMap(w, r.attributes());
    writeId(w, r.traceId());
    writeId(w, r.spanId());
    w.writeString(r.correlationId());
    w.writeString(r.serviceName());
    AttributeCodec.writeMap(w, r.resourceAttributes());
    w.writeString(r.scopeName());
    w.writeVarInt(r.flags());
    w.writeVarInt(r.droppedAttributesCount());
  }

  public static LogRecord decode(byte[] value) {
    ByteReader r = new ByteReader(value);
    int version = r.readByte();
    if (version != VERSION) {
      throw new IllegalStateException("log record: unknown version " + version);
    }
    return new LogRecord(r.readVarLong(), r.readVarLong(), r.readByte(), r.readString(),
        r.readString(), AttributeCodec.readMap(r), readId(r), readId(r), r.readString(),
        r.readString(), AttributeCodec.readMap(r), r.readString(), r.readVarInt(), r.readVarInt());
  }

  private static void writeId(ByteWriter w, String hex) {
    byte[] b = hex.isEmpty() ? new byte[0] : Ids.fromHex(hex);
    w.writeLengthPrefixed(b, 0, b.length);
  }

  private static String readId(ByteReader r) {
    return Ids.toHex(r.readLengthPrefixed());
  }
}
