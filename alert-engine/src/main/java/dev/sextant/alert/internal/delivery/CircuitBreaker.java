package dev.sextant.alert.internal.delivery;

import java.time.Duration;
import java.time.Instant;

/**
 * Per-receiver breaker: closed until {@code threshold} consecutive failures, then open for
 * {@code openFor}; then half-open, letting one probe through, which closes it on success or
 * re-opens it on failure. Not thread-safe; the delivery worker is single-threaded.
 */
final class CircuitBreaker {
  enum State { CLOSED, OPEN, HALF_OPEN }

  private final int threshold;
  private final Duration openFor;
  private State state = State.CLOSED;
  private int failures;
  private Instant openedAt;
  private boolean probing;

  CircuitBreaker(int threshold, Duration openFor) {
    this.threshold = threshold;
    this.openFor = openFor;
  }

  /** Whether a request may go out now; in half-open, only one (the probe). */
  boolean allow(Instant now) {
    if (state == State.OPEN && !now.isBefore(openedAt.plus(openFor))) {
      state = State.HALF_OPEN;
      probing = false;
    }
    if (state == State.CLOSED) {
      return true;
    }
    if (state == State.HALF_OPEN && !probing) {
      probing = true;
      return true;
    }
    return false;
  }

  void success() {
    state = State.CLOSED;
    failures = 0;
    probing = false;
  }

  void failure(Instant now) {
    failures++;
    if (state == State.HALF_OPEN || failures >= threshold) {
      state = State.OPEN;
      openedAt = now;
      probing = false;
    }
  }

  State state() {
    return state;
  }
}
