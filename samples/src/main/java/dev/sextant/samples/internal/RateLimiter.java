package dev.sextant.samples.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The gateway's per-client limits: each API key belongs to a tier ({@code free}, {@code basic},
 * {@code premium}) and gets its own token bucket with that tier's rate and burst.
 */
public final class RateLimiter {
  /** A tier's limit: requests per second and burst. */
  public record Tier(String name, double ratePerSecond, double burst) {}

  /** What the gateway does with a request: pass, refuse (unknown key) or retry later. */
  public record Decision(Tier tier, long retryAfterNanos) {
    public boolean allowed() {
      return tier != null && retryAfterNanos == 0;
    }

    /** Whole seconds for {@code Retry-After}, at least 1. */
    public long retryAfterSeconds() {
      return Math.max(1, (retryAfterNanos + 999_999_999L) / 1_000_000_000L);
    }
  }

  private final Map<String, Tier> tiers;
  private final Map<String, String> keyToTier;
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final LongSupplier nanoClock;

  /**
   * @param tierSpec e.g. {@code free=1/3,basic=10/20,premium=50/100} (rate per second / burst)
   * @param keySpec e.g. {@code demo-free-key=free,demo-basic-key=basic}
   */
  public RateLimiter(String tierSpec, String keySpec, LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    this.tiers = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : Args.pairs("tiers", tierSpec).entrySet()) {
      String[] parts = e.getValue().split("/");
      if (parts.length != 2) {
        throw new IllegalArgumentException("tiers: " + e.getKey() + "=" + e.getValue()
            + " (expected: NAME=RATE/BURST)");
      }
      tiers.put(e.getKey(), new Tier(e.getKey(), Args.number("tiers." + e.getKey(), parts[0]),
          Args.number("tiers." + e.getKey(), parts[1])));
    }
    this.keyToTier = Args.pairs("keys", keySpec);
    keyToTier.forEach((key, tier) -> {
      if (!tiers.containsKey(tier)) {
        throw new IllegalArgumentException("keys: " + key + "=" + tier + " (expected a tier: "
            + tiers.keySet() + ")");
      }
    });
  }

  /** Decides for one request carrying {@code apiKey} (may be null). */
  public Decision check(String apiKey) {
    String tierName = apiKey == null ? null : keyToTier.get(apiKey);
    if (tierName == null) {
      return new Decision(null, 0);
    }
    Tier tier = tiers.get(tierName);
    TokenBucket bucket = buckets.computeIfAbsent(apiKey,
        k -> new TokenBucket(tier.ratePerSecond(), tier.burst(), nanoClock));
    return new Decision(tier, bucket.tryAcquire());
  }
}
