package dev.sextant.collector.limits;

import static java.util.Objects.requireNonNull;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-tenant token-bucket limits in items per second (spans, log records, data points) with a
 * burst, per signal. A tenant without an override gets the defaults; a rate of 0 means unlimited.
 */
public final class RateLimits {
  /** One bucket's shape. */
  public record Limit(double perSecond, double burst) {
    public Limit {
      if (perSecond < 0) {
        throw new IllegalArgumentException("perSecond: " + perSecond + " (expected: >= 0)");
      }
      if (burst < 0 || (perSecond > 0 && burst < 1)) {
        throw new IllegalArgumentException("burst: " + burst + " (expected: >= 1)");
      }
    }

    public static final Limit UNLIMITED = new Limit(0, 0);

    public boolean unlimited() {
      return perSecond == 0;
    }
  }

  private final Map<Signal, Limit> defaults = new EnumMap<>(Signal.class);
  private final Map<String, Map<Signal, Limit>> tenants = new HashMap<>();

  private RateLimits() {
    for (Signal s : Signal.values()) {
      defaults.put(s, Limit.UNLIMITED);
    }
  }

  /** No limits at all. */
  public static RateLimits unlimited() {
    return new RateLimits();
  }

  public static RateLimits create() {
    return new RateLimits();
  }

  public RateLimits defaultLimit(Signal signal, Limit limit) {
    defaults.put(requireNonNull(signal, "signal"), requireNonNull(limit, "limit"));
    return this;
  }

  public RateLimits tenantLimit(String tenant, Signal signal, Limit limit) {
    tenants.computeIfAbsent(requireNonNull(tenant, "tenant"), t -> new EnumMap<>(Signal.class))
        .put(requireNonNull(signal, "signal"), requireNonNull(limit, "limit"));
    return this;
  }

  public Limit limitFor(String tenant, Signal signal) {
    Map<Signal, Limit> t = tenants.get(tenant);
    Limit l = t == null ? null : t.get(signal);
    return l != null ? l : defaults.get(signal);
  }
}
