package dev.sextant.collector.internal;

import static dev.sextant.collector.internal.WireReads.BAIL;
import static dev.sextant.collector.internal.WireReads.FIXED64;
import static dev.sextant.collector.internal.WireReads.LEN;
import static dev.sextant.collector.internal.WireReads.VARINT;
import static dev.sextant.collector.internal.WireReads.end;
import static dev.sextant.collector.internal.WireReads.expect;
import static dev.sextant.collector.internal.WireReads.skip;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.sextant.collector.limits.IngestLimits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads OTLP {@code KeyValue} attributes off the wire into the maps {@link OtlpAttributes#toMap}
 * builds, with its limits and truncations; one instance per request, as it caches the request's
 * attribute keys.
 */
final class WireAttributes {
  /** Deeper values go the generated classes' way, well inside protobuf's recursion limit. */
  private static final int MAX_VALUE_DEPTH = 20;
  private static final Object TOO_DEEP = new Object();
  private static final int KEY_CACHE = 64;

  /** One attribute list as {@link OtlpAttributes#toMap} builds it. */
  static final class Attrs {
    private @Nullable LinkedHashMap<String, Object> map;
    int dropped;

    Map<String, Object> map() {
      return map == null ? Collections.emptyMap() : map;
    }
  }

  private final IngestLimits limits;
  private final byte[] body;
  /** Attribute keys seen in this request, by a hash of their bytes: spans repeat their keys. */
  private final byte[][] keyBytes = new byte[KEY_CACHE][];
  private final String[] keyStrings = new String[KEY_CACHE];
  // Out-parameters of the last read, read right after each call.
  private String kvKey = "";
  private @Nullable String topString;

  /** {@code body} is what the streams passed in read, from offset 0. */
  WireAttributes(IngestLimits limits, byte[] body) {
    this.limits = limits;
    this.body = body;
  }

  /** The key of the attribute {@link #read} read last. */
  String lastKey() {
    return kvKey;
  }

  /** The raw (untruncated) string value of the attribute read last, or null if not a string. */
  @Nullable String lastString() {
    return topString;
  }

  /**
   * Reads one KeyValue field (the stream is at its length) into {@code attrs}, or past it when
   * {@code attrs} is null (scope attributes, an event or link over its limit).
   */
  void read(CodedInputStream in, @Nullable Attrs attrs) throws IOException {
    int old = in.pushLimit(in.readRawVarint32());
    Object v = keyValue(in, 1);
    end(in, old);
    if (attrs != null) {
      add(attrs, kvKey, v);
    }
  }

  /**
   * An attribute key: the same String as its previous occurrence in the request when there is
   * one, without decoding it again.
   */
  private String key(CodedInputStream in) throws IOException {
    int len = in.readRawVarint32();
    if (len < 0 || len > in.getBytesUntilLimit()) {
      throw BAIL; // malformed: the old path says how
    }
    int off = in.getTotalBytesRead();
    int h = 0;
    for (int i = off; i < off + len; i++) {
      h = 31 * h + body[i];
    }
    h &= KEY_CACHE - 1;
    byte[] cached = keyBytes[h];
    if (cached != null && Arrays.equals(cached, 0, cached.length, body, off, off + len)) {
      in.skipRawBytes(len);
      return keyStrings[h];
    }
    byte[] raw = in.readRawBytes(len);
    String key = new String(raw, UTF_8);
    // Valid UTF-8, and only that, survives the round trip (the JDK replaces malformed input).
    if (!Arrays.equals(key.getBytes(UTF_8), raw)) {
      throw BAIL;
    }
    keyBytes[h] = raw;
    keyStrings[h] = key;
    return key;
  }

  /** {@link OtlpAttributes#toMap}'s rules for one attribute. */
  private void add(Attrs attrs, String key, @Nullable Object value) {
    if (key.length() > limits.maxAttributeKeyLength()) {
      throw BAIL; // the converter notes it: a warning
    }
    if (attrs.map == null) {
      if (limits.maxAttributes() <= 0) {
        attrs.dropped++;
        return;
      }
      attrs.map = new LinkedHashMap<>();
    } else if (attrs.map.size() >= limits.maxAttributes() && !attrs.map.containsKey(key)) {
      attrs.dropped++;
      return;
    }
    if (value == TOO_DEEP) {
      attrs.dropped++;
      return;
    }
    attrs.map.put(key, value);
  }

  /**
   * Reads a KeyValue: returns its value as {@link OtlpAttributes} converts it, with its key in
   * {@link #kvKey} and, at depth 1, its raw string value (if a string) in {@link #topString}.
   */
  private @Nullable Object keyValue(CodedInputStream in, int depth) throws IOException {
    String key = "";
    Object value = null;
    boolean seenValue = false;
    if (depth == 1) {
      topString = null;
    }
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> {
          expect(tag, LEN);
          key = key(in);
        }
        case 2 -> {
          expect(tag, LEN);
          if (seenValue) {
            throw BAIL;
          }
          seenValue = true;
          int old = in.pushLimit(in.readRawVarint32());
          value = anyValue(in, depth);
          end(in, old);
        }
        case 3 -> {
          expect(tag, VARINT);
          in.readInt32(); // key_strindex: unused
        }
        default -> skip(in, tag);
      }
    }
    kvKey = key;
    return value;
  }

  private @Nullable Object anyValue(CodedInputStream in, int depth) throws IOException {
    if (depth > MAX_VALUE_DEPTH) {
      throw BAIL;
    }
    Object v = null;
    int values = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      int field = WireFormat.getTagFieldNumber(tag);
      if (field >= 1 && field <= 8) {
        values++;
      }
      switch (field) {
        case 1 -> {
          expect(tag, LEN);
          String s = in.readStringRequireUtf8();
          if (depth == 1) {
            topString = s;
          }
          v = OtlpAttributes.truncate(s, limits.maxAttributeValueLength());
        }
        case 2 -> {
          expect(tag, VARINT);
          v = in.readBool();
        }
        case 3 -> {
          expect(tag, VARINT);
          v = in.readInt64();
        }
        case 4 -> {
          expect(tag, FIXED64);
          v = in.readDouble();
        }
        case 5 -> {
          expect(tag, LEN);
          int old = in.pushLimit(in.readRawVarint32());
          v = array(in, depth);
          end(in, old);
        }
        case 6 -> {
          expect(tag, LEN);
          int old = in.pushLimit(in.readRawVarint32());
          v = kvList(in, depth);
          end(in, old);
        }
        case 7 -> {
          expect(tag, LEN);
          byte[] b = in.readByteArray();
          int max = limits.maxAttributeValueLength();
          v = b.length > max ? Arrays.copyOf(b, max) : b;
        }
        case 8 -> throw BAIL; // string_value_strindex
        default -> skip(in, tag);
      }
    }
    if (values > 1) {
      throw BAIL; // a oneof sent twice: last wins, or merges; not worth copying
    }
    return v;
  }

  private Object array(CodedInputStream in, int depth) throws IOException {
    List<Object> list = new ArrayList<>();
    boolean tooDeep = depth >= limits.maxAnyValueDepth();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) == 1) {
        expect(tag, LEN);
        int old = in.pushLimit(in.readRawVarint32());
        Object x = anyValue(in, depth + 1);
        end(in, old);
        if (x == TOO_DEEP) {
          tooDeep = true;
        }
        list.add(x);
      } else {
        skip(in, tag);
      }
    }
    return tooDeep ? TOO_DEEP : list;
  }

  private Object kvList(CodedInputStream in, int depth) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    boolean tooDeep = depth >= limits.maxAnyValueDepth();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) == 1) {
        expect(tag, LEN);
        int old = in.pushLimit(in.readRawVarint32());
        Object x = keyValue(in, depth + 1);
        end(in, old);
        if (x == TOO_DEEP) {
          tooDeep = true;
        }
        m.put(OtlpAttributes.truncate(kvKey, limits.maxAttributeKeyLength()), x);
      } else {
        skip(in, tag);
      }
    }
    return tooDeep ? TOO_DEEP : m;
  }
}
