package dev.sextant.collector.internal;

/** A token bucket refilled continuously; callers take several tokens at once (one per item). */
final class TokenBucket {
  private final double perNano;
  private final double capacity;
  private double tokens;
  private long last;

  TokenBucket(double perSecond, double burst, long nowNanos) {
    this.perNano = perSecond / 1e9;
    this.capacity = burst;
    this.tokens = burst;
    this.last = nowNanos;
  }

  /**
   * Takes {@code n} tokens if available. A request larger than the burst is admitted only when the
   * bucket is full (so big batches aren't starved forever), leaving it in debt.
   *
   * @return 0 when admitted, else nanoseconds until it could be
   */
  synchronized long tryTake(double n, long nowNanos) {
    tokens = Math.min(capacity, tokens + (nowNanos - last) * perNano);
    last = nowNanos;
    double needed = Math.min(n, capacity);
    if (tokens >= needed) {
      tokens -= n;
      return 0;
    }
    return (long) Math.ceil((needed - tokens) / perNano);
  }
}
