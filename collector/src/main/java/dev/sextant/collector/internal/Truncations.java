package dev.sextant.collector.internal;

/**
 * What converting one request cut to the limits: names and identifiers truncated, attributes
 * dropped for their key's length. Nothing is rejected for it, but the client is told: the first
 * one becomes the OTLP partial-success {@code error_message} (with nothing rejected, which the
 * OTLP specification allows for warnings) when no item was rejected.
 */
final class Truncations {
  private String first;
  private long count;

  /**
   * {@code value}, or its first {@code max} characters (noted) when it is longer.
   *
   * @param field how the warning names the field, e.g. {@code "span name"}
   */
  String name(String field, String value, int max) {
    if (value.length() <= max) {
      return value;
    }
    note(field + ": " + value.length() + " characters (expected: <= " + max + "), truncated");
    return OtlpAttributes.truncate(value, max);
  }

  void note(String message) {
    count++;
    if (first == null) {
      first = message;
    }
  }

  /** The first warning, or null when nothing was cut. */
  String first() {
    return first;
  }

  /** The error message, followed by the warning when there is one. */
  static String join(String error, String warning) {
    return warning == null ? error : error + " (also: " + warning + ")";
  }

  long count() {
    return count;
  }
}
