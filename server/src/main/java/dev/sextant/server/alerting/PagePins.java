package dev.sextant.server.alerting;

import static java.util.Objects.requireNonNull;

import dev.sextant.alert.notify.Evidence;
import dev.sextant.alert.notify.EvidencePins;
import dev.sextant.storage.Ids;
import dev.sextant.storage.PinRequest;
import dev.sextant.storage.Pins;
import dev.sextant.storage.ReadWarnings;
import dev.sextant.storage.Storage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pins a page's evidence in its tenant's store: every evidence trace (its spans and log lines)
 * with the incident ID, pinned by {@code alert}; a resolve starts their expiry.
 *
 * <p>Over the node's own store ({@link #PagePins(Storage, Clock)}) each call is a local write,
 * made at once on the notification path; a failure is logged. Over a cluster's stores
 * ({@link #overStores}) a call goes to every store through the network (see the cluster
 * module's {@code RemoteStorage}), so it runs on {@code worker}, in order, off the notification
 * path, and one that did not reach every store (a store down or slow, which the storage reports
 * through {@link ReadWarnings}, or no store answering) is kept and made again every
 * {@code retryEvery} until it reached every store, for at most {@code giveUpAfter} (then logged
 * as an error). Pins are idempotent by ID, so repeating one is safe; a retried resolve keeps its
 * first time, and a resolve still pending is dropped when the incident fires again. What is kept
 * is in memory: a new leader does not retry its predecessor's calls (the incident's next firing
 * page, every repeat interval, pins again). Closing (with the engine) drops what is pending.
 */
final class PagePins implements EvidencePins {
  private static final Logger log = LoggerFactory.getLogger(PagePins.class);
  private static final String TRACE_PATH = "/ui/traces/";
  /** Incidents with calls kept for retry, at most: beyond, new failures are only logged. */
  static final int MAX_PENDING = 1_000;

  private final Storage storage;
  private final Clock clock;
  private final @Nullable ScheduledExecutorService worker;
  private final long giveUpMillis;
  /** By incident; touched on the worker only. */
  private final Map<String, Pending> pending = new LinkedHashMap<>();
  private volatile @Nullable ScheduledFuture<?> retries;
  private volatile boolean closed;

  /** What of an incident has not reached every store yet. */
  private static final class Pending {
    final Set<PinRequest> pins = new LinkedHashSet<>();
    long resolvedAtMillis;
    final long sinceMillis;

    Pending(long sinceMillis) {
      this.sinceMillis = sinceMillis;
    }
  }

  /** Over the node's own store: every call at once, on the caller's thread. */
  PagePins(Storage storage, Clock clock) {
    this(storage, clock, null, Duration.ZERO);
  }

  private PagePins(Storage storage, Clock clock, @Nullable ScheduledExecutorService worker,
      Duration giveUpAfter) {
    this.storage = requireNonNull(storage, "storage");
    this.clock = requireNonNull(clock, "clock");
    this.worker = worker;
    this.giveUpMillis = giveUpAfter.toMillis();
  }

  /**
   * Over the cluster's stores: calls run on {@code worker} (one thread, shared by the node's
   * engines, which keeps each engine's calls in order), retried as the class says.
   */
  static PagePins overStores(Storage storage, Clock clock, ScheduledExecutorService worker,
      Duration retryEvery, Duration giveUpAfter) {
    requireNonNull(worker, "worker");
    if (retryEvery.isNegative() || retryEvery.isZero()) {
      throw new IllegalArgumentException("retryEvery: " + retryEvery + " (expected: > 0)");
    }
    PagePins p = new PagePins(storage, clock, worker,
        requireNonNull(giveUpAfter, "giveUpAfter"));
    long every = retryEvery.toMillis();
    p.retries = worker.scheduleWithFixedDelay(p::retry, every, every, TimeUnit.MILLISECONDS);
    return p;
  }

  @Override
  public void firing(String incidentId, String reason, Evidence evidence) {
    String why = reason.length() > PinRequest.MAX_TEXT
        ? reason.substring(0, PinRequest.MAX_TEXT) : reason;
    List<PinRequest> requests = new ArrayList<>();
    for (Evidence.Link l : evidence.traces()) {
      int at = l.href().lastIndexOf(TRACE_PATH);
      String traceId = at < 0 ? "" : l.href().substring(at + TRACE_PATH.length());
      if (Ids.isValidTraceId(traceId)) {
        requests.add(new PinRequest(traceId, "", incidentId, why, "alert"));
      }
    }
    run(() -> {
      Pending p = pending.remove(incidentId);
      Pending left = new Pending(p == null ? clock.millis() : p.sinceMillis);
      if (p != null) {
        left.pins.addAll(p.pins); // firing again: a resolve not made everywhere is void
      }
      left.pins.addAll(requests);
      apply(incidentId, left);
    });
  }

  @Override
  public void resolved(String incidentId, Instant at) {
    run(() -> {
      Pending p = pending.remove(incidentId);
      Pending left = p == null ? new Pending(clock.millis()) : p;
      left.resolvedAtMillis = at.toEpochMilli();
      apply(incidentId, left);
    });
  }

  private void run(Runnable call) {
    if (worker == null) {
      call.run();
      return;
    }
    try {
      worker.execute(() -> {
        if (!closed) {
          call.run();
        }
      });
    } catch (RejectedExecutionException e) {
      log.warn("evidence pins not updated: the node's alerting is closing");
    }
  }

  /** Makes {@code what}'s calls; keeps what did not reach every store, when retrying. */
  private void apply(String incident, Pending what) {
    what.pins.removeIf(r -> made("pinning trace " + r.traceId() + " of incident " + incident,
        () -> storage.pins().pin(r, clock.millis())));
    if (what.resolvedAtMillis != 0 && what.pins.isEmpty()
        && made("resolving the pins of incident " + incident,
            () -> storage.pins().resolve(incident, what.resolvedAtMillis))) {
      what.resolvedAtMillis = 0;
    }
    if (worker == null || (what.pins.isEmpty() && what.resolvedAtMillis == 0)) {
      return;
    }
    if (pending.size() >= MAX_PENDING) {
      log.error("evidence pins of incident {} not retried: {} incidents are waiting already",
          incident, MAX_PENDING);
      return;
    }
    pending.put(incident, what);
  }

  /**
   * Makes one call; true when it is done (reached every store, or was refused for good: a bad
   * request or a store at its pin limit, which retrying does not mend).
   */
  private boolean made(String what, Runnable call) {
    try (ReadWarnings.Collector partial = ReadWarnings.collect()) {
      call.run();
      if (partial.warnings().isEmpty()) {
        return true;
      }
      log.warn("{} did not reach every store{}: {}", what, worker == null ? "" : " (retrying)",
          partial.warnings());
      return false;
    } catch (IllegalArgumentException | Pins.PinLimitException e) {
      log.warn("{} refused: {}", what, e.getMessage());
      return true;
    } catch (RuntimeException e) {
      log.warn("{} failed{}: {}", what, worker == null ? "" : " (retrying)", e.toString());
      return worker == null;
    }
  }

  private void retry() {
    if (closed || pending.isEmpty()) {
      return;
    }
    long now = clock.millis();
    List<Map.Entry<String, Pending>> due = new ArrayList<>(pending.entrySet());
    pending.clear();
    for (Map.Entry<String, Pending> e : due) {
      Pending p = e.getValue();
      if (now - p.sinceMillis > giveUpMillis) {
        log.error("evidence pins of incident {} gave up after {} s: {} pins{} did not reach "
            + "every store", e.getKey(), giveUpMillis / 1000, p.pins.size(),
            p.resolvedAtMillis == 0 ? "" : " and its resolve");
        continue;
      }
      apply(e.getKey(), p);
    }
  }

  @Override
  public void close() {
    closed = true;
    ScheduledFuture<?> r = retries;
    if (r != null) {
      r.cancel(false);
    }
  }
}
