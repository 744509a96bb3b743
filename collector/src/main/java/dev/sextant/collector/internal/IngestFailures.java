package dev.sextant.collector.internal;

import java.util.concurrent.CompletionException;

/**
 * Maps storage failures to what the client should do: all are retryable, nothing was stored (a
 * storage timeout, where the write may still complete, is {@link IngestPipeline#timedOut}).
 */
final class IngestFailures {
  static final int RETRY_AFTER_SECONDS = 1;

  private IngestFailures() {}

  static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  static String message(Throwable t) {
    Throwable c = unwrap(t);
    return "storage unavailable, nothing from this request was stored: "
        + (c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage());
  }
}
