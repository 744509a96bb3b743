package dev.sextant.agent;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Samples at most N new traces per second with a token bucket (capacity N, at least 1, so a burst
 * of up to N roots passes after an idle second). Meant to be wrapped in {@link
 * Sampler#parentBased(Sampler)}: the root decides once and every descendant, local or remote,
 * follows the parent's flag, so a kept trace is kept whole.
 */
final class RateLimitingSampler implements Sampler {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final double tracesPerSecond;
  private final double capacity;
  private final LongSupplier nanoTime;
  // Guarded by this: roots are a small fraction of spans, so a lock is cheap enough here.
  private double tokens;
  private long lastNanos;

  RateLimitingSampler(double tracesPerSecond) {
    this(tracesPerSecond, System::nanoTime);
  }

  RateLimitingSampler(double tracesPerSecond, LongSupplier nanoTime) {
    if (!(tracesPerSecond > 0) || Double.isInfinite(tracesPerSecond)) {
      throw new IllegalArgumentException(
          "tracesPerSecond: " + tracesPerSecond + " (expected: > 0 and finite)");
    }
    this.tracesPerSecond = tracesPerSecond;
    this.capacity = Math.max(1.0, tracesPerSecond);
    this.nanoTime = nanoTime;
    this.tokens = capacity;
    this.lastNanos = nanoTime.getAsLong();
  }

  @Override
  public SamplingResult shouldSample(Context parentContext, String traceId, String name,
      SpanKind spanKind, Attributes attributes, List<LinkData> parentLinks) {
    return tryAcquire() ? SamplingResult.recordAndSample() : SamplingResult.drop();
  }

  synchronized boolean tryAcquire() {
    long now = nanoTime.getAsLong();
    long elapsed = now - lastNanos;
    if (elapsed > 0) {
      tokens = Math.min(capacity, tokens + elapsed * tracesPerSecond / NANOS_PER_SECOND);
      lastNanos = now;
    }
    if (tokens >= 1.0) {
      tokens -= 1.0;
      return true;
    }
    return false;
  }

  @Override
  public String getDescription() {
    return "SextantRateLimitingSampler{" + tracesPerSecond + "/s}";
  }

  @Override
  public String toString() {
    return getDescription();
  }
}
