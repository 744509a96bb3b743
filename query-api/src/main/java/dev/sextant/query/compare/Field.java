package dev.sextant.query.compare;

import static java.util.Objects.requireNonNull;

/**
 * One value a trace can have: a span attribute, a resource attribute, a service or an operation.
 *
 * @param scope {@code span}, {@code resource}, {@code service} (key {@code service.name}) or
 *     {@code operation} (key {@code operation}, value {@code "<service> <span name>"})
 * @param key the attribute key
 * @param value the value's text (numbers and booleans as written, lists as {@code [a, b]}), cut to
 *     {@value #MAX_VALUE_LENGTH} characters
 */
public record Field(String scope, String key, String value) {
  /** Longest value kept; longer ones are cut (a long value is unlikely to be shared anyway). */
  public static final int MAX_VALUE_LENGTH = 200;

  public Field {
    requireNonNull(scope, "scope");
    requireNonNull(key, "key");
    requireNonNull(value, "value");
  }

  /** {@code key=value}, as people write it. */
  @Override
  public String toString() {
    return key + "=" + value;
  }
}
