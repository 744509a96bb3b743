package dev.sextant.storage.internal.spans;

import dev.sextant.storage.Ids;
import dev.sextant.storage.Span;
import dev.sextant.storage.SpanEvent;
import dev.sextant.storage.SpanKind;
import dev.sextant.storage.SpanLink;
import dev.sextant.storage.StatusCode;
import dev.sextant.storage.internal.kv.AttributeCodec;
import dev.sextant.storage.internal.kv.ByteReader;
import dev.sextant.storage.internal.kv.ByteWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The stored value of a span. The trace and span IDs live in the key, so they are not repeated
 * here; times are the start plus a duration varint, which is usually a few bytes. Blocks are
 * written in version 1; sealing rewrites them in version 2 ({@link DictionarySpanCodec}), and
 * {@link #decode} reads both, so a block sealed by an older release, or never, stays readable.
 */
public final class SpanCodec {
  private static final int VERSION = 1;

  private SpanCodec() {}

  public static void encode(Span s, ByteWriter w) {
    w.writeByte(VERSION);
    w.writeString(s.parentSpanId());
    w.writeString(s.traceState());
    w.writeString(s.name());
    w.writeByte(s.kind().otlpNumber());
    w.writeFixed64(s.startTimeUnixNano());
    w.writeZigZag(s.endTimeUnixNano() - s.startTimeUnixNano());
    AttributeCodec.writeMap(w, s.attributes());
    w.writeVarInt(s.droppedAttributesCount());
    w.writeVarInt(s.events().size());
    for (SpanEvent e : s.events()) {
      w.writeZigZag(e.timeUnixNano() - s.startTimeUnixNano());
      w.writeString(e.name());
      AttributeCodec.writeMap(w, e.attributes());
      w.writeVarInt(e.droppedAttributesCount());
    }
    w.writeVarInt(s.droppedEventsCount());
    w.writeVarInt(s.links().size());
    for (SpanLink l : s.links()) {
      w.writeString(l.traceId());
      w.writeString(l.spanId());
      w.writeString(l.traceState());
      AttributeCodec.writeMap(w, l.attributes());
      w.writeVarInt(l.droppedAttributesCount());
    }
    w.writeVarInt(s.droppedLinksCount());
    w.writeByte(s.statusCode().otlpNumber());
    w.writeString(s.statusMessage());
    w.writeString(s.serviceName());
    AttributeCodec.writeMap(w, s.resourceAttributes());
    w.writeString(s.scopeName());
    w.writeString(s.scopeVersion());
  }

  /** As {@link AttributeCodec#readMap}, into {@link ArrayAttributes} when it is small. */
  private static Map<String, Object> readMap(ByteReader r) {
    int n = r.readVarInt();
    if (n == 0) {
      return Collections.emptyMap();
    }
    String[] keys = new String[n];
    Object[] values = new Object[n];
    for (int i = 0; i < n; i++) {
      keys[i] = r.readString();
      values[i] = AttributeCodec.readBody(r, r.readByte());
    }
    return ArrayAttributes.of(keys, values);
  }

  /** Decodes a value written by {@link #encode}, with the IDs taken from the key. */
  public static Span decode(byte[] traceId, byte[] spanId, byte[] value) {
    return decode(traceId, spanId, value, SpanDictionary.EMPTY);
  }

  /** Whether {@code value} is in the encoding {@link #encode} writes (not yet dictionary coded). */
  static boolean isPlain(byte[] value) {
    return value.length > 0 && value[0] == VERSION;
  }

  /**
   * Decodes a value of either version, with the IDs taken from the key and the strings of a
   * version 2 value from {@code dict}, the dictionary of the value's block (null: none yet).
   */
  static Span decode(byte[] traceId, byte[] spanId, byte[] value, SpanDictionary dict) {
    return decode(Ids.toHex(traceId), Ids.toHex(spanId), value, dict);
  }

  /**
   * As {@link #decode(byte[], byte[], byte[], SpanDictionary)} with the IDs already in hex: a
   * trace read converts its trace ID once, not once per span.
   */
  static Span decode(String traceId, String spanId, byte[] value, SpanDictionary dict) {
    ByteReader r = new ByteReader(value);
    int version = r.readByte();
    if (version == DictionarySpanCodec.VERSION) {
      return DictionarySpanCodec.decode(traceId, spanId, r,
          dict != null ? dict : SpanDictionary.EMPTY);
    }
    if (version != VERSION) {
      throw new IllegalStateException("unknown span encoding version " + version);
    }
    var b = Span.builder().traceId(traceId).spanId(spanId);
    b.parentSpanId(r.readString()).traceState(r.readString()).name(r.readString());
    b.kind(SpanKind.fromOtlp(r.readByte()));
    long start = r.readFixed64();
    b.startTimeUnixNano(start).endTimeUnixNano(start + r.readZigZag());
    b.attributes(readMap(r)).droppedAttributesCount(r.readVarInt());
    int events = r.readVarInt();
    List<SpanEvent> ev = new ArrayList<>(events);
    for (int i = 0; i < events; i++) {
      long t = start + r.readZigZag();
      ev.add(new SpanEvent(t, r.readString(), readMap(r), r.readVarInt()));
    }
    b.events(ev).droppedEventsCount(r.readVarInt());
    int links = r.readVarInt();
    List<SpanLink> ls = new ArrayList<>(links);
    for (int i = 0; i < links; i++) {
      ls.add(new SpanLink(r.readString(), r.readString(), r.readString(), readMap(r),
          r.readVarInt()));
    }
    b.links(ls).droppedLinksCount(r.readVarInt());
    b.statusCode(StatusCode.fromOtlp(r.readByte())).statusMessage(r.readString());
    b.serviceName(r.readString()).resourceAttributes(readMap(r));
    b.scopeName(r.readString()).scopeVersion(r.readString());
    return b.build();
  }
}
