package dev.sextant.samples.internal;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code ratePerSecond} tokens are added per second up to {@code burst}; a request
 * takes one. Starts full, so a burst of {@code burst} requests passes after a quiet period.
 */
public final class TokenBucket {
  private final double ratePerNano;
  private final double burst;
  private final LongSupplier nanoClock;
  private double tokens;
  private long last;

  public TokenBucket(double ratePerSecond, double burst, LongSupplier nanoClock) {
    if (!(ratePerSecond > 0)) {
      throw new IllegalArgumentException("ratePerSecond: " + ratePerSecond + " (expected: > 0)");
    }
    if (!(burst >= 1)) {
      throw new IllegalArgumentException("burst: " + burst + " (expected: >= 1)");
    }
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.nanoClock = nanoClock;
    this.tokens = burst;
    this.last = nanoClock.getAsLong();
  }

  /**
   * Takes a token if one is there and returns 0; otherwise takes nothing and returns the
   * nanoseconds until one will be (what a 429's {@code Retry-After} is made of).
   */
  public synchronized long tryAcquire() {
    long now = nanoClock.getAsLong();
    tokens = Math.min(burst, tokens + (now - last) * ratePerNano);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return (long) Math.ceil((1 - tokens) / ratePerNano);
  }
}
