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
 * The span encoding of sealed blocks (version 2): strings become references into the block's
 * {@link SpanDictionary}, a hex parent span ID becomes its 8 bytes, and an attribute map writes
 * its keys (with type tags) before its values, so the key list, the same on most spans, is one
 * long repeat for the block compressor while the values are one-byte references.
 */
final class DictionarySpanCodec {
  static final int VERSION = 2;
  private static final int NO_PARENT = 0;
  private static final int HEX_PARENT = 1;
  private static final int OTHER_PARENT = 2;

  /** Where strings are looked up while encoding: a dictionary, or a builder counting them. */
  @FunctionalInterface
  interface Refs {
    /** The reference of {@code s} in {@code context}; 0 writes it inline. */
    int ref(String context, String s);
  }

  private DictionarySpanCodec() {}

  static void encode(Span s, ByteWriter w, Refs refs) {
    // What most spans share comes first, one long repeat; what varies from span to span last.
    w.writeByte(VERSION);
    w.writeByte(s.statusCode().otlpNumber());
    keys(w, refs, s.attributes());
    string(w, refs, "", s.traceState());
    string(w, refs, "", s.statusMessage());
    string(w, refs, "", s.scopeName());
    string(w, refs, "", s.scopeVersion());
    w.writeVarInt(s.droppedAttributesCount());
    w.writeVarInt(s.droppedEventsCount());
    w.writeVarInt(s.droppedLinksCount());
    w.writeVarInt(s.events().size());
    w.writeVarInt(s.links().size());
    string(w, refs, "", s.serviceName());
    keys(w, refs, s.resourceAttributes());
    values(w, refs, s.resourceAttributes());
    string(w, refs, "", s.name());
    w.writeByte(s.kind().otlpNumber());
    values(w, refs, s.attributes());
    writeParent(w, s.parentSpanId());
    w.writeFixed64(s.startTimeUnixNano());
    w.writeZigZag(s.endTimeUnixNano() - s.startTimeUnixNano());
    for (SpanEvent e : s.events()) {
      w.writeZigZag(e.timeUnixNano() - s.startTimeUnixNano());
      string(w, refs, "", e.name());
      attributes(w, refs, e.attributes());
      w.writeVarInt(e.droppedAttributesCount());
    }
    for (SpanLink l : s.links()) {
      w.writeString(l.traceId());
      w.writeString(l.spanId());
      string(w, refs, "", l.traceState());
      attributes(w, refs, l.attributes());
      w.writeVarInt(l.droppedAttributesCount());
    }
  }

  static Span decode(String traceId, String spanId, ByteReader r, SpanDictionary dict) {
    var b = Span.builder().traceId(traceId).spanId(spanId);
    b.statusCode(StatusCode.fromOtlp(r.readByte()));
    Keys attributes = keys(r, dict);
    b.traceState(string(r, dict, "")).statusMessage(string(r, dict, ""));
    b.scopeName(string(r, dict, "")).scopeVersion(string(r, dict, ""));
    b.droppedAttributesCount(r.readVarInt()).droppedEventsCount(r.readVarInt())
        .droppedLinksCount(r.readVarInt());
    int events = r.readVarInt();
    int links = r.readVarInt();
    b.serviceName(string(r, dict, ""));
    b.resourceAttributes(values(r, dict, keys(r, dict)));
    b.name(string(r, dict, "")).kind(SpanKind.fromOtlp(r.readByte()));
    b.attributes(values(r, dict, attributes));
    b.parentSpanId(readParent(r));
    long start = r.readFixed64();
    b.startTimeUnixNano(start).endTimeUnixNano(start + r.readZigZag());
    List<SpanEvent> ev = new ArrayList<>(events);
    for (int i = 0; i < events; i++) {
      long t = start + r.readZigZag();
      ev.add(new SpanEvent(t, string(r, dict, ""), attributes(r, dict), r.readVarInt()));
    }
    b.events(ev);
    List<SpanLink> ls = new ArrayList<>(links);
    for (int i = 0; i < links; i++) {
      ls.add(new SpanLink(r.readString(), r.readString(), string(r, dict, ""),
          attributes(r, dict), r.readVarInt()));
    }
    return b.links(ls).build();
  }

  private static void string(ByteWriter w, Refs refs, String context, String s) {
    int ref = refs.ref(context, s);
    w.writeVarInt(ref);
    if (ref == 0) {
      w.writeString(s);
    }
  }

  private static String string(ByteReader r, SpanDictionary dict, String context) {
    int ref = r.readVarInt();
    return ref == 0 ? r.readString() : dict.string(context, ref);
  }

  /** The keys of an attribute map, each with its value's type tag. */
  private record Keys(String[] keys, int[] tags) {}

  private static void attributes(ByteWriter w, Refs refs, Map<String, Object> map) {
    keys(w, refs, map);
    values(w, refs, map);
  }

  private static Map<String, Object> attributes(ByteReader r, SpanDictionary dict) {
    return values(r, dict, keys(r, dict));
  }

  private static void keys(ByteWriter w, Refs refs, Map<String, Object> map) {
    w.writeVarInt(map.size());
    for (Map.Entry<String, Object> e : map.entrySet()) {
      string(w, refs, "", e.getKey());
      w.writeByte(AttributeCodec.tag(e.getValue()));
    }
  }

  private static void values(ByteWriter w, Refs refs, Map<String, Object> map) {
    for (Map.Entry<String, Object> e : map.entrySet()) {
      Object v = e.getValue();
      int tag = AttributeCodec.tag(v);
      if (tag == AttributeCodec.STRING) {
        string(w, refs, e.getKey(), v.toString());
      } else {
        AttributeCodec.writeBody(w, tag, v);
      }
    }
  }

  private static Keys keys(ByteReader r, SpanDictionary dict) {
    int n = r.readVarInt();
    String[] keys = new String[n];
    int[] tags = new int[n];
    for (int i = 0; i < n; i++) {
      keys[i] = string(r, dict, "");
      tags[i] = r.readByte();
    }
    return new Keys(keys, tags);
  }

  private static Map<String, Object> values(ByteReader r, SpanDictionary dict, Keys k) {
    int n = k.keys.length;
    if (n == 0) {
      return Collections.emptyMap();
    }
    Object[] values = new Object[n];
    for (int i = 0; i < n; i++) {
      values[i] = k.tags[i] == AttributeCodec.STRING ? string(r, dict, k.keys[i])
          : AttributeCodec.readBody(r, k.tags[i]);
    }
    return ArrayAttributes.of(k.keys, values);
  }

  private static void writeParent(ByteWriter w, String parent) {
    if (parent.isEmpty()) {
      w.writeByte(NO_PARENT);
    } else if (parent.length() == 16 && isLowerHex(parent)) {
      w.writeByte(HEX_PARENT);
      w.writeBytes(Ids.fromHex(parent));
    } else {
      w.writeByte(OTHER_PARENT);
      w.writeString(parent);
    }
  }

  private static String readParent(ByteReader r) {
    int tag = r.readByte();
    switch (tag) {
      case NO_PARENT:
        return "";
      case HEX_PARENT:
        return Ids.toHex(r.readBytes(8));
      case OTHER_PARENT:
        return r.readString();
      default:
        throw new IllegalStateException("unknown parent span ID tag " + tag);
    }
  }

  private static boolean isLowerHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }
}
