package dev.sextant.collector.internal;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.Base64;

/** Renders an AnyValue as text: strings as is, everything else as compact JSON. */
final class AnyValueText {
  private AnyValueText() {}

  static String of(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      case INT_VALUE -> Long.toString(v.getIntValue());
      case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
      case BYTES_VALUE -> Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
      default -> json(v);
    };
  }

  static String json(AnyValue v) {
    StringBuilder sb = new StringBuilder();
    append(sb, v);
    return sb.toString();
  }

  private static void append(StringBuilder sb, AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE -> quote(sb, v.getStringValue());
      case BYTES_VALUE -> quote(sb, Base64.getEncoder().encodeToString(
          v.getBytesValue().toByteArray()));
      case ARRAY_VALUE -> {
        sb.append('[');
        for (int i = 0; i < v.getArrayValue().getValuesCount(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          append(sb, v.getArrayValue().getValues(i));
        }
        sb.append(']');
      }
      case KVLIST_VALUE -> {
        sb.append('{');
        boolean first = true;
        for (KeyValue kv : v.getKvlistValue().getValuesList()) {
          if (!first) {
            sb.append(',');
          }
          first = false;
          quote(sb, kv.getKey());
          sb.append(':');
          append(sb, kv.getValue());
        }
        sb.append('}');
      }
      case VALUE_NOT_SET -> sb.append("null");
      default -> sb.append(of(v));
    }
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
