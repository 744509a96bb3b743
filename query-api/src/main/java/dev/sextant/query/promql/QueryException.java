package dev.sextant.query.promql;

/**
 * A query that could not be answered. {@link #kind()} maps to the Prometheus API's error types:
 * {@code bad_data} (400), {@code execution} (422), {@code timeout} and {@code canceled} (503).
 */
public final class QueryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public enum Kind { BAD_DATA, EXECUTION, TIMEOUT, CANCELED }

  private final Kind kind;

  public QueryException(Kind kind, String message) {
    this(kind, message, null);
  }

  public QueryException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
