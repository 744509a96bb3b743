package dev.sextant.cluster.internal;

/** A record value that is not in the format its header claims: truncated or garbled bytes. */
public final class CorruptRecordException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CorruptRecordException(String message) {
    super(message);
  }
}
