package dev.sextant.query;

/**
 * A request parameter that is missing, malformed or out of range; answered with HTTP 400 and the
 * message, which names the parameter, the value and the expected form, e.g.
 * {@code start: 'abc' (expected: RFC3339 or unix seconds/ms/ns)}.
 */
public final class BadParameterException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public BadParameterException(String name, String value, String expected) {
    super(name + ": '" + cut(value) + "' (expected: " + expected + ")");
  }

  /** A huge value is not echoed back whole: its first 64 characters and "...". */
  private static String cut(String value) {
    return value == null || value.length() <= 64 ? value : value.substring(0, 64) + "...";
  }
}
