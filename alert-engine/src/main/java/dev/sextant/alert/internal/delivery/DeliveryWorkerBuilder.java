package dev.sextant.alert.internal.delivery;

import static java.util.Objects.requireNonNull;

import dev.sextant.alert.delivery.AuditLog;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link DeliveryWorker}. Defaults: backoff 1s doubling to 5m, breaker opens after 5
 * consecutive failures for 30s, request timeout 10s.
 */
public final class DeliveryWorkerBuilder {
  final Outbox outbox;
  final AuditLog audit;
  Clock clock = Clock.systemUTC();
  Duration initialBackoff = Duration.ofSeconds(1);
  Duration maxBackoff = Duration.ofMinutes(5);
  int breakerThreshold = 5;
  Duration breakerOpenFor = Duration.ofSeconds(30);
  Duration timeout = Duration.ofSeconds(10);
  final Map<String, HttpAuth> auth = new HashMap<>();

  DeliveryWorkerBuilder(Outbox outbox, AuditLog audit) {
    this.outbox = requireNonNull(outbox, "outbox");
    this.audit = requireNonNull(audit, "audit");
  }

  public DeliveryWorkerBuilder clock(Clock clock) {
    this.clock = requireNonNull(clock, "clock");
    return this;
  }

  public DeliveryWorkerBuilder backoff(Duration initial, Duration max) {
    requireNonNull(initial, "initial");
    requireNonNull(max, "max");
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("initial: " + initial + " (expected: > 0)");
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("max: " + max + " (expected: >= initial " + initial + ")");
    }
    this.initialBackoff = initial;
    this.maxBackoff = max;
    return this;
  }

  public DeliveryWorkerBuilder circuitBreaker(int failureThreshold, Duration openFor) {
    if (failureThreshold <= 0) {
      throw new IllegalArgumentException("failureThreshold: " + failureThreshold + " (expected: > 0)");
    }
    this.breakerThreshold = failureThreshold;
    this.breakerOpenFor = requireNonNull(openFor, "openFor");
    return this;
  }

  public DeliveryWorkerBuilder timeout(Duration timeout) {
    this.timeout = requireNonNull(timeout, "timeout");
    return this;
  }

  /** Sends the authorization of each {@link Integration} among {@code receivers}. */
  public DeliveryWorkerBuilder integrations(List<? extends Receiver> receivers) {
    for (Receiver r : receivers) {
      if (r instanceof Integration i) {
        auth.put(i.id(), i.auth());
      }
    }
    return this;
  }

  public DeliveryWorker build() {
    return new DeliveryWorker(this);
  }
}
