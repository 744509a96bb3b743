package dev.sextant.alert.internal.template;

import java.util.Map;

/** A Go struct value: unknown fields are an execution error (unlike maps, which yield ""). */
record GoStruct(String typeName, Map<String, Object> fields) {
  @Override
  public String toString() {
    return "{" + String.join(" ", fields.values().stream().map(GoFormat::print).toList()) + "}";
  }
}
