package dev.sextant.samples;

import dev.sextant.samples.internal.CircuitBreaker;
import dev.sextant.samples.internal.Downstream;
import dev.sextant.samples.internal.Reply;
import io.opentelemetry.api.trace.Span;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Orders' way to payments: every attempt passes the circuit breaker; 5xx answers and unreachable
 * payments are retried with exponential backoff and jitter; 4xx (a declined card) is an answer,
 * not a failure. The breaker's state is the gauge {@code circuit_breaker_state{breaker,state}}
 * (1 for the current state) and the span attribute {@code circuit_breaker.state}.
 */
final class PaymentsClient {
  /** The outcome: the last answer, or a 503 made here when the breaker refused the call. */
  record Result(Reply reply, int attempts, boolean rejected) {}

  private final Downstream payments;
  private final CircuitBreaker breaker;
  private final int maxAttempts;
  private final Duration backoff;
  private final Counter calls;

  PaymentsClient(Downstream payments, CircuitBreaker breaker, int maxAttempts, Duration backoff,
      PrometheusRegistry registry) {
    this.payments = payments;
    this.breaker = breaker;
    this.maxAttempts = maxAttempts;
    this.backoff = backoff;
    GaugeWithCallback.builder().name("circuit_breaker_state")
        .help("1 for the breaker's current state").labelNames("breaker", "state")
        .callback(cb -> {
          CircuitBreaker.State now = breaker.state();
          for (CircuitBreaker.State s : CircuitBreaker.State.values()) {
            cb.call(s == now ? 1 : 0, "payments", s.label());
          }
        })
        .register(registry);
    this.calls = Counter.builder().name("circuit_breaker_calls_total")
        .help("Calls through the breaker by outcome").labelNames("breaker", "outcome")
        .withoutExemplars().register(registry);
  }

  Result charge(Object request) throws InterruptedException {
    Reply last = null;
    int attempt = 0;
    try {
      while (attempt < maxAttempts) {
        if (attempt > 0) {
          long base = backoff.toMillis() << (attempt - 1);
          Thread.sleep(base + ThreadLocalRandom.current().nextLong(base / 2 + 1));
        }
        if (!breaker.tryAcquire()) {
          calls.labelValues("payments", "rejected").inc();
          Reply open = Reply.error(503, "payments unavailable: circuit breaker open");
          return new Result(open, attempt, true);
        }
        attempt++;
        try {
          last = payments.postJson("/payments/charge", request);
        } catch (IOException e) {
          last = Reply.error(502, "payments unreachable: " + e);
        }
        if (last.status() < 500) {
          breaker.onSuccess();
          calls.labelValues("payments", "success").inc();
          return new Result(last, attempt, false);
        }
        breaker.onFailure();
        calls.labelValues("payments", "failure").inc();
      }
      return new Result(last, attempt, false);
    } finally {
      Span.current().setAttribute("circuit_breaker.state", breaker.state().label());
      Span.current().setAttribute("payment.attempts", attempt);
    }
  }
}
