package dev.sextant.storage.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Encodes attribute maps with a one-byte type tag per value. */
public final class AttributeCodec {
  private static final int NULL = 0;
  private static final int STRING = 1;
  private static final int BOOL = 2;
  private static final int LONG = 3;
  private static final int DOUBLE = 4;
  private static final int BYTES = 5;
  private static final int ARRAY = 6;
  private static final int KVLIST = 7;

  private AttributeCodec() {}

  public static void writeMap(ByteWriter w, Map<String, Object> map) {
    w.writeVarInt(map.size());
    for (Map.Entry<String, Object> e : map.entrySet()) {
      w.writeString(e.getKey());
      writeValue(w, e.getValue());
    }
  }

  @SuppressWarnings("unchecked")
  static void writeValue(ByteWriter w, Object v) {
    if (v == null) {
      w.writeByte(NULL);
    } else if (v instanceof String s) {
      w.writeByte(STRING);
      w.writeString(s);
    } else if (v instanceof Boolean b) {
      w.writeByte(BOOL);
      w.writeByte(b ? 1 : 0);
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      w.writeByte(LONG);
      w.writeZigZag(((Number) v).longValue());
    } else if (v instanceof Double || v instanceof Float) {
      w.writeByte(DOUBLE);
      w.writeDouble(((Number) v).doubleValue());
    } else if (v instanceof byte[] b) {
      w.writeByte(BYTES);
      w.writeLengthPrefixed(b, 0, b.length);
    } else if (v instanceof List<?> list) {
      w.writeByte(ARRAY);
      w.writeVarInt(list.size());
      for (Object o : list) {
        writeValue(w, o);
      }
    } else if (v instanceof Map<?, ?> m) {
      w.writeByte(KVLIST);
      writeMap(w, (Map<String, Object>) m);
    } else {
      w.writeByte(STRING);
      w.writeString(v.toString());
    }
  }

  public static Map<String, Object> readMap(ByteReader r) {
    int n = r.readVarInt();
    if (n == 0) {
      return Collections.emptyMap();
    }
    Map<String, Object> m = new LinkedHashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      String k = r.readString();
      m.put(k, readValue(r));
    }
    return Collections.unmodifiableMap(m);
  }

  static Object readValue(ByteReader r) {
    int tag = r.readByte();
    switch (tag) {
      case NULL:
        return null;
      case STRING:
        return r.readString();
      case BOOL:
        return r.readByte() != 0;
      case LONG:
        return r.readZigZag();
      case DOUBLE:
        return r.readDouble();
      case BYTES:
        return r.readLengthPrefixed();
      case ARRAY: {
        int n = r.readVarInt();
        List<Object> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          l.add(readValue(r));
        }
        return Collections.unmodifiableList(l);
      }
      case KVLIST:
        return readMap(r);
      default:
        throw new IllegalStateException("unknown attribute tag " + tag);
    }
  }
}
