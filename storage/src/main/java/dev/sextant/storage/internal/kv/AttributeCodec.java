package dev.sextant.storage.internal.kv;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes attribute maps with a one-byte type tag per value: the attribute format of stored spans
 * and log records. {@link #tag}, {@link #writeBody} and {@link #readBody} let a codec store some
 * values its own way (the span dictionary codec stores strings by reference).
 */
public final class AttributeCodec {
  private static final int NULL = 0;
  /** The tag of a string value (a dictionary codec stores those by reference). */
  public static final int STRING = 1;
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

  static void writeValue(ByteWriter w, Object v) {
    int tag = tag(v);
    w.writeByte(tag);
    writeBody(w, tag, v);
  }

  /** The type tag {@link #writeBody} writes {@code v} under. */
  public static int tag(Object v) {
    if (v == null) {
      return NULL;
    } else if (v instanceof Boolean) {
      return BOOL;
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short
        || v instanceof Byte) {
      return LONG;
    } else if (v instanceof Double || v instanceof Float) {
      return DOUBLE;
    } else if (v instanceof byte[]) {
      return BYTES;
    } else if (v instanceof List<?>) {
      return ARRAY;
    } else if (v instanceof Map<?, ?>) {
      return KVLIST;
    }
    return STRING; // strings, and anything else as its string form
  }

  /** Writes {@code v} without its tag, which is {@code tag(v)}. */
  @SuppressWarnings("unchecked")
  public static void writeBody(ByteWriter w, int tag, Object v) {
    switch (tag) {
      case NULL:
        break;
      case BOOL:
        w.writeByte((Boolean) v ? 1 : 0);
        break;
      case LONG:
        w.writeZigZag(((Number) v).longValue());
        break;
      case DOUBLE:
        w.writeDouble(((Number) v).doubleValue());
        break;
      case BYTES: {
        byte[] b = (byte[]) v;
        w.writeLengthPrefixed(b, 0, b.length);
        break;
      }
      case ARRAY: {
        List<?> list = (List<?>) v;
        w.writeVarInt(list.size());
        for (Object o : list) {
          writeValue(w, o);
        }
        break;
      }
      case KVLIST:
        writeMap(w, (Map<String, Object>) v);
        break;
      default:
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
    return readBody(r, r.readByte());
  }

  /** Reads a value {@link #writeBody} wrote under {@code tag}. */
  public static Object readBody(ByteReader r, int tag) {
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
