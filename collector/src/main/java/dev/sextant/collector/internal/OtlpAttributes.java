package dev.sextant.collector.internal;

import com.google.protobuf.ByteString;
import dev.sextant.collector.limits.IngestLimits;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts OTLP attribute lists to the store's attribute maps, applying the per-item limits:
 * attributes past the count limit, nested too deep or with a key longer than
 * {@link IngestLimits#maxAttributeKeyLength()} are dropped (and counted); long strings, and
 * long keys nested in values, are truncated.
 */
final class OtlpAttributes {
  private final IngestLimits limits;
  private final Truncations truncations;
  private int dropped;

  OtlpAttributes(IngestLimits limits, Truncations truncations) {
    this.limits = limits;
    this.truncations = truncations;
  }

  /** Attributes dropped by the last {@link #toMap} call. */
  int dropped() {
    return dropped;
  }

  Map<String, Object> toMap(List<KeyValue> kvs) {
    dropped = 0;
    if (kvs.isEmpty()) {
      return Collections.emptyMap();
    }
    Map<String, Object> m = new LinkedHashMap<>(Math.min(kvs.size(), limits.maxAttributes()) * 2);
    for (KeyValue kv : kvs) {
      if (kv.getKey().length() > limits.maxAttributeKeyLength()) {
        // Keys are index terms and field names: not worth truncating into a different key.
        truncations.note("attribute key: " + kv.getKey().length() + " characters (expected: <= "
            + limits.maxAttributeKeyLength() + "), attribute dropped");
        dropped++;
        continue;
      }
      if (m.size() >= limits.maxAttributes() && !m.containsKey(kv.getKey())) {
        dropped++;
        continue;
      }
      Object v = toValue(kv.getValue(), 1);
      if (v == TOO_DEEP) {
        dropped++;
        continue;
      }
      m.put(kv.getKey(), v);
    }
    return m;
  }

  private static final Object TOO_DEEP = new Object();

  private Object toValue(AnyValue v, int depth) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return truncate(v.getStringValue());
      case BOOL_VALUE:
        return v.getBoolValue();
      case INT_VALUE:
        return v.getIntValue();
      case DOUBLE_VALUE:
        return v.getDoubleValue();
      case BYTES_VALUE: {
        ByteString b = v.getBytesValue();
        return b.size() > limits.maxAttributeValueLength()
            ? b.substring(0, limits.maxAttributeValueLength()).toByteArray() : b.toByteArray();
      }
      case ARRAY_VALUE: {
        if (depth >= limits.maxAnyValueDepth()) {
          return TOO_DEEP;
        }
        List<Object> l = new ArrayList<>(v.getArrayValue().getValuesCount());
        for (AnyValue e : v.getArrayValue().getValuesList()) {
          Object x = toValue(e, depth + 1);
          if (x == TOO_DEEP) {
            return TOO_DEEP;
          }
          l.add(x);
        }
        return l;
      }
      case KVLIST_VALUE: {
        if (depth >= limits.maxAnyValueDepth()) {
          return TOO_DEEP;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (KeyValue kv : v.getKvlistValue().getValuesList()) {
          Object x = toValue(kv.getValue(), depth + 1);
          if (x == TOO_DEEP) {
            return TOO_DEEP;
          }
          m.put(truncate(kv.getKey(), limits.maxAttributeKeyLength()), x);
        }
        return m;
      }
      default:
        return null;
    }
  }

  /** Truncates to the value limit without splitting a surrogate pair. */
  String truncate(String s) {
    return truncate(s, limits.maxAttributeValueLength());
  }

  /** Truncates to {@code max} characters without splitting a surrogate pair. */
  static String truncate(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
    return s.substring(0, end);
  }

  /** The string value of {@code key}, or {@code null}. */
  static String stringValue(List<KeyValue> kvs, String key) {
    for (KeyValue kv : kvs) {
      if (kv.getKey().equals(key) && kv.getValue().hasStringValue()) {
        return kv.getValue().getStringValue();
      }
    }
    return null;
  }
}
