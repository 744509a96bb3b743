package dev.sextant.collector.zipkin;

/**
 * A body that is not a Zipkin v2 span list. The message names the field and what was expected,
 * e.g. {@code spans[2].traceId: 'xyz' (expected: 1-32 hex characters, not all zero)}; the
 * request is refused whole, as Zipkin does.
 */
public final class ZipkinFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  ZipkinFormatException(String message) {
    super(message, null, false, false);
  }
}
