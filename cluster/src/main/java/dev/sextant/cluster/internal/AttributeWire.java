package dev.sextant.cluster.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Attribute maps and IDs in the record format. An attribute value is a one-byte tag and its body
 * (the kinds of {@code dev.sextant.storage.Attributes}); nesting (arrays, kvlists) is bounded by
 * {@link #MAX_DEPTH} on read, as a corrupt record must not overflow the stack.
 */
final class AttributeWire {
  static final int MAX_DEPTH = 32;
  private static final int NULL = 0;
  private static final int STRING = 1;
  private static final int BOOL = 2;
  private static final int LONG = 3;
  private static final int DOUBLE = 4;
  private static final int BYTES = 5;
  private static final int ARRAY = 6;
  private static final int KVLIST = 7;
  private static final int ID_HEX = 0;
  private static final int ID_TEXT = 1;
  private static final HexFormat HEX = HexFormat.of();

  private AttributeWire() {}

  static void writeMap(WireWriter w, Map<String, Object> map) {
    w.writeVarInt(map.size());
    for (Map.Entry<String, Object> e : map.entrySet()) {
      w.writeString(e.getKey());
      writeValue(w, e.getValue());
    }
  }

  @SuppressWarnings("unchecked")
  private static void writeValue(WireWriter w, Object v) {
    if (v == null) {
      w.writeByte(NULL);
    } else if (v instanceof Boolean b) {
      w.writeByte(BOOL);
      w.writeByte(b ? 1 : 0);
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short
        || v instanceof Byte) {
      w.writeByte(LONG);
      w.writeZigZag(((Number) v).longValue());
    } else if (v instanceof Double || v instanceof Float) {
      w.writeByte(DOUBLE);
      w.writeDouble(((Number) v).doubleValue());
    } else if (v instanceof byte[] b) {
      w.writeByte(BYTES);
      w.writeBytes(b);
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
      w.writeByte(STRING); // strings, and anything else as its string form (as storage does)
      w.writeString(v.toString());
    }
  }

  static Map<String, Object> readMap(WireReader r) {
    return readMap(r, 0);
  }

  private static Map<String, Object> readMap(WireReader r, int depth) {
    int n = r.readCount(2);
    if (n == 0) {
      return Collections.emptyMap();
    }
    Map<String, Object> m = new LinkedHashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      String k = r.readString();
      m.put(k, readValue(r, depth));
    }
    return Collections.unmodifiableMap(m);
  }

  private static Object readValue(WireReader r, int depth) {
    if (depth > MAX_DEPTH) {
      throw new CorruptRecordException("attributes nested deeper than " + MAX_DEPTH);
    }
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
        return r.readBytes();
      case ARRAY: {
        int n = r.readCount(1);
        List<Object> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          l.add(readValue(r, depth + 1));
        }
        return Collections.unmodifiableList(l);
      }
      case KVLIST:
        return readMap(r, depth + 1);
      default:
        throw new CorruptRecordException("unknown attribute tag " + tag);
    }
  }

  /**
   * An ID: hex of even length as its bytes (half the size), anything else (empty included) as
   * text, so an ID is read back exactly as it was written, only lowercased.
   */
  static void writeId(WireWriter w, String id) {
    if (!id.isEmpty() && id.length() % 2 == 0 && isHex(id)) {
      w.writeByte(ID_HEX);
      w.writeBytes(HEX.parseHex(id));
    } else {
      w.writeByte(ID_TEXT);
      w.writeString(id);
    }
  }

  static String readId(WireReader r) {
    int kind = r.readByte();
    if (kind == ID_HEX) {
      return HEX.formatHex(r.readBytes());
    } else if (kind == ID_TEXT) {
      return r.readString().toLowerCase(Locale.ROOT);
    }
    throw new CorruptRecordException("unknown ID kind " + kind);
  }

  private static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
        return false;
      }
    }
    return true;
  }
}
