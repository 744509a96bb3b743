package dev.sextant.collector.internal;

import dev.sextant.collector.limits.RateLimits;
import dev.sextant.collector.limits.Signal;
import java.util.concurrent.ConcurrentHashMap;

/** One token bucket per (tenant, signal), created on first use. */
final class TenantRateLimiter {
  private final RateLimits limits;
  private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

  TenantRateLimiter(RateLimits limits) {
    this.limits = limits;
  }

  /** @return 0 when admitted, else nanoseconds the client should wait before retrying */
  long tryAcquire(String tenant, Signal signal, long items) {
    RateLimits.Limit l = limits.limitFor(tenant, signal);
    if (l.unlimited() || items == 0) {
      return 0;
    }
    long now = System.nanoTime();
    TokenBucket b = buckets.computeIfAbsent(signal.key() + '\u0000' + tenant,
        k -> new TokenBucket(l.perSecond(), l.burst(), now));
    return b.tryTake(items, now);
  }
}
