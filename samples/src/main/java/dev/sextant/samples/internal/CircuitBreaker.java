package dev.sextant.samples.internal;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Closed → (N consecutive failures) → open → (after the open duration) half-open, where
 * exactly one probe call passes: its success closes the breaker, its failure opens it again. While open, calls
 * are refused at once, which is what keeps a failing dependency from taking its callers down.
 */
public final class CircuitBreaker {
  /** Breaker states, named as they appear in metrics and span attributes. */
  public enum State {
    CLOSED("closed"), OPEN("open"), HALF_OPEN("half_open");

    private final String label;

    State(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  private final int failureThreshold;
  private final long openNanos;
  private final LongSupplier nanoClock;
  private State state = State.CLOSED;
  private int consecutiveFailures;
  private long openedAt;
  private boolean probeInFlight;

  public CircuitBreaker(int failureThreshold, Duration openDuration, LongSupplier nanoClock) {
    if (failureThreshold < 1) {
      throw new IllegalArgumentException("failureThreshold: " + failureThreshold
          + " (expected: >= 1)");
    }
    this.failureThreshold = failureThreshold;
    this.openNanos = openDuration.toNanos();
    this.nanoClock = nanoClock;
  }

  /** Whether a call may go out now; every {@code true} must be followed by one outcome call. */
  public synchronized boolean tryAcquire() {
    switch (state) {
      case CLOSED:
        return true;
      case OPEN:
        if (nanoClock.getAsLong() - openedAt < openNanos) {
          return false;
        }
        state = State.HALF_OPEN;
        probeInFlight = true;
        return true;
      default:
        if (probeInFlight) {
          return false;
        }
        probeInFlight = true;
        return true;
    }
  }

  public synchronized void onSuccess() {
    consecutiveFailures = 0;
    probeInFlight = false;
    state = State.CLOSED;
  }

  public synchronized void onFailure() {
    probeInFlight = false;
    if (state == State.HALF_OPEN || ++consecutiveFailures >= failureThreshold) {
      state = State.OPEN;
      openedAt = nanoClock.getAsLong();
      consecutiveFailures = 0;
    }
  }

  public synchronized State state() {
    return state;
  }
}
