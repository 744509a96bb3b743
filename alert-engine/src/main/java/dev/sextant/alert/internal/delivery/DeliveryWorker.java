package dev.sextant.alert.internal.delivery;

import dev.sextant.alert.delivery.AuditLog;
import dev.sextant.alert.internal.Ticker;
import dev.sextant.alert.internal.delivery.Outbox.Entry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox: POSTs each entry; on 2xx removes it; on 429, 5xx or a network error
 * retries with exponential backoff and jitter; on another 4xx gives up (the request will not get
 * better). Each receiver has a {@link CircuitBreaker}. Entries with the same dedup key go strictly
 * in order, so a resolve never overtakes its trigger. Every attempt is written to the
 * {@link AuditLog}.
 */
public final class DeliveryWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

  private final Outbox outbox;
  private final AuditLog audit;
  private final Clock clock;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final int breakerThreshold;
  private final Duration breakerOpenFor;
  private final Duration timeout;
  private final HttpClient http;
  private final Map<String, HttpAuth> auth;
  private final Map<String, CircuitBreaker> breakers = new HashMap<>();
  private Ticker scheduler;

  DeliveryWorker(DeliveryWorkerBuilder b) {
    this.outbox = b.outbox;
    this.audit = b.audit;
    this.clock = b.clock;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.breakerThreshold = b.breakerThreshold;
    this.breakerOpenFor = b.breakerOpenFor;
    this.timeout = b.timeout;
    this.auth = Map.copyOf(b.auth);
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(b.timeout).build();
  }

  public static DeliveryWorkerBuilder builder(Outbox outbox, AuditLog audit) {
    return new DeliveryWorkerBuilder(outbox, audit);
  }

  /** Makes one pass over the outbox; returns the number of deliveries that succeeded. */
  public synchronized int runOnce() {
    int delivered = 0;
    Set<String> blocked = new HashSet<>();
    for (Entry e : outbox.pending()) {
      Delivery d = e.delivery();
      String order = d.integration() + "\u0000" + d.dedupKey();
      Instant now = clock.instant();
      if (blocked.contains(order) || e.nextAttemptAt() > now.toEpochMilli()) {
        blocked.add(order);
        continue;
      }
      CircuitBreaker cb = breakers.computeIfAbsent(d.integration(),
          r -> new CircuitBreaker(breakerThreshold, breakerOpenFor));
      if (!cb.allow(now)) {
        blocked.add(order);
        continue;
      }
      if (attempt(e, cb, now)) {
        delivered++;
      } else {
        blocked.add(order);
      }
    }
    return delivered;
  }

  private boolean attempt(Entry e, CircuitBreaker cb, Instant now) {
    Delivery d = e.delivery();
    int attempt = e.attempts() + 1;
    int status = 0;
    String error = null;
    try {
      HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(d.url())).timeout(timeout)
          .header("Content-Type", "application/json")
          .header("User-Agent", "Sextant-Alert-Engine")
          .POST(HttpRequest.BodyPublishers.ofString(d.body()));
      String authorization = auth.getOrDefault(d.integration(), HttpAuth.NONE).header();
      if (authorization != null) {
        rb.header("Authorization", authorization);
      }
      HttpRequest req = rb.build();
      HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
      status = resp.statusCode();
      if (status / 100 != 2) {
        String b = resp.body();
        error = b == null ? "" : b.length() > 500 ? b.substring(0, 500) : b;
      }
    } catch (IOException | IllegalArgumentException ex) {
      error = ex.toString();
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      error = ex.toString();
    }
    long t = clock.instant().toEpochMilli();
    if (status / 100 == 2) {
      outbox.remove(e.id());
      cb.success();
      audit.add(new AuditLog.Record(t, d.receiver(), d.dedupKey(), e.id(), attempt, status,
          "delivered", null));
      return true;
    }
    boolean retry = status == 0 || status == 429 || status >= 500;
    if (!retry) {
      // The receiver is up and refused this request: not the receiver's health.
      outbox.remove(e.id());
      audit.add(new AuditLog.Record(t, d.receiver(), d.dedupKey(), e.id(), attempt, status,
          "failed", error));
      log.error("delivery {} to {} refused with {}: {}", e.id(), d.receiver(), status, error);
      return true;
    }
    cb.failure(now);
    long delay = backoff(attempt);
    outbox.put(new Entry(e.id(), d, attempt, t + delay, e.createdAt()));
    audit.add(new AuditLog.Record(t, d.receiver(), d.dedupKey(), e.id(), attempt, status,
        "retry", error));
    return false;
  }

  /** Exponential backoff with jitter: a random delay in [base/2, base]. */
  long backoff(int attempt) {
    long base = initialBackoff.toMillis() << Math.min(attempt - 1, 30);
    if (base <= 0 || base > maxBackoff.toMillis()) {
      base = maxBackoff.toMillis();
    }
    return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
  }

  /** Starts delivering every {@code pollInterval} on a daemon thread. */
  public synchronized void start(Duration pollInterval) {
    if (scheduler != null) {
      return;
    }
    scheduler = Ticker.start("sextant-alert-delivery", Duration.ZERO,
        pollInterval, () -> runOnce(), log);
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.stop();
      scheduler = null;
    }
  }
}
