package dev.sextant.collector.internal;

/**
 * A request refused before anything was stored: throttled (the tenant's rate limit), overloaded
 * (the ingest byte budget, disk space or storage; the client should retry after {@link
 * #retryAfterSeconds()}) or invalid (data that storage refuses as such: retrying it unchanged
 * would fail forever, so it is a client error).
 */
public final class IngestRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the request was refused; decides the status code. */
  public enum Reason { THROTTLED, OVERLOADED, INVALID }

  private final Reason reason;
  private final long retryAfterSeconds;

  IngestRefusedException(Reason reason, long retryAfterSeconds, String message) {
    super(message, null, false, false);
    this.reason = reason;
    this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
  }

  public Reason reason() {
    return reason;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
