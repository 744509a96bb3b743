package dev.sextant.collector.internal;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Converts OTLP attribute lists to the store's attribute maps. */
final class OtlpAttributes {
  private OtlpAttributes() {}

  static Map<String, Object> toMap(List<KeyValue> kvs) {
    if (kvs.isEmpty()) {
      return Collections.emptyMap();
    }
    Map<String, Object> m = new LinkedHashMap<>(kvs.size() * 2);
    for (KeyValue kv : kvs) {
      m.put(kv.getKey(), toValue(kv.getValue()));
    }
    return m;
  }

  static Object toValue(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return v.getStringValue();
      case BOOL_VALUE:
        return v.getBoolValue();
      case INT_VALUE:
        return v.getIntValue();
      case DOUBLE_VALUE:
        return v.getDoubleValue();
      case BYTES_VALUE: {
        ByteString b = v.getBytesValue();
        return b.toByteArray();
      }
      case ARRAY_VALUE: {
        List<Object> l = new ArrayList<>(v.getArrayValue().getValuesCount());
        for (AnyValue e : v.getArrayValue().getValuesList()) {
          l.add(toValue(e));
        }
        return l;
      }
      case KVLIST_VALUE:
        return toMap(v.getKvlistValue().getValuesList());
      default:
        return null;
    }
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
