package dev.sextant.storage.internal.spans;

import dev.sextant.storage.internal.kv.ByteReader;
import dev.sextant.storage.internal.kv.ByteWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The strings that repeat across the spans of one sealed block (names, services, attribute keys,
 * and per attribute key its common values), numbered by frequency so the most common get one-byte
 * references. Immutable once built: a value encoded against it stays readable as long as the
 * block lives. Context {@code ""} holds span-level strings; an attribute key is the context of its
 * values, so each key's values count from 1 and mostly fit a one-byte reference.
 */
final class SpanDictionary {
  private static final int FORMAT = 1;
  static final SpanDictionary EMPTY = new SpanDictionary(Map.of());

  private final Map<String, String[]> strings;
  private final Map<String, Map<String, Integer>> refs = new HashMap<>();

  private SpanDictionary(Map<String, String[]> strings) {
    this.strings = strings;
    strings.forEach((ctx, list) -> {
      Map<String, Integer> m = new HashMap<>(list.length * 2);
      for (int i = 0; i < list.length; i++) {
        m.put(list[i], i + 1);
      }
      refs.put(ctx, m);
    });
  }

  /** The reference of {@code s} in {@code context}, from 1; 0 when it is not in the dictionary. */
  int ref(String context, String s) {
    Map<String, Integer> m = refs.get(context);
    if (m == null) {
      return 0;
    }
    Integer r = m.get(s);
    return r == null ? 0 : r;
  }

  /** The string of a reference {@link #ref} gave. */
  String string(String context, int ref) {
    String[] list = strings.get(context);
    if (list == null || ref < 1 || ref > list.length) {
      throw new IllegalStateException("string reference " + ref + " in context '" + context
          + "' is not in the block's dictionary");
    }
    return list[ref - 1];
  }

  int size() {
    int n = 0;
    for (String[] l : strings.values()) {
      n += l.length;
    }
    return n;
  }

  byte[] toBytes() {
    ByteWriter w = new ByteWriter(1024);
    w.writeByte(FORMAT);
    w.writeVarInt(strings.size());
    strings.forEach((ctx, list) -> {
      w.writeString(ctx);
      w.writeVarInt(list.length);
      for (String s : list) {
        w.writeString(s);
      }
    });
    return w.toByteArray();
  }

  static SpanDictionary fromBytes(byte[] bytes) {
    ByteReader r = new ByteReader(bytes);
    int format = r.readByte();
    if (format != FORMAT) {
      throw new IllegalStateException("unknown span dictionary format " + format);
    }
    int contexts = r.readVarInt();
    Map<String, String[]> out = new HashMap<>(contexts * 2);
    for (int c = 0; c < contexts; c++) {
      String ctx = r.readString();
      String[] list = new String[r.readVarInt()];
      for (int i = 0; i < list.length; i++) {
        list[i] = r.readString();
      }
      out.put(ctx, list);
    }
    return new SpanDictionary(out);
  }

  /**
   * Counts candidate strings, bounded: past {@link #MAX_CANDIDATES} distinct strings, new ones are
   * ignored (high-cardinality values such as IDs then stay inline, as they should).
   */
  static final class Builder {
    static final int MAX_CANDIDATES = 200_000;
    /** References up to this fit two varint bytes. */
    static final int MAX_PER_CONTEXT = 1 << 14;
    private static final int MAX_STRING_CHARS = 256;
    private final Map<String, Map<String, int[]>> counts = new HashMap<>();
    private int candidates;

    void count(String context, String s) {
      if (s.isEmpty() || s.length() > MAX_STRING_CHARS) {
        return;
      }
      Map<String, int[]> m = counts.get(context);
      if (m == null) {
        if (candidates >= MAX_CANDIDATES) {
          return;
        }
        m = new HashMap<>();
        counts.put(context, m);
      }
      int[] c = m.get(s);
      if (c != null) {
        c[0]++;
      } else if (candidates < MAX_CANDIDATES) {
        m.put(s, new int[] {1});
        candidates++;
      }
    }

    /** The strings seen at least twice, most frequent first in each context. */
    SpanDictionary build() {
      Map<String, String[]> out = new HashMap<>();
      counts.forEach((ctx, m) -> {
        List<Map.Entry<String, int[]>> list = new ArrayList<>();
        for (Map.Entry<String, int[]> e : m.entrySet()) {
          if (e.getValue()[0] >= 2) {
            list.add(e);
          }
        }
        list.sort((a, b) -> Integer.compare(b.getValue()[0], a.getValue()[0]));
        int n = Math.min(list.size(), MAX_PER_CONTEXT);
        if (n > 0) {
          String[] strings = new String[n];
          for (int i = 0; i < n; i++) {
            strings[i] = list.get(i).getKey();
          }
          out.put(ctx, strings);
        }
      });
      return new SpanDictionary(out);
    }
  }
}
