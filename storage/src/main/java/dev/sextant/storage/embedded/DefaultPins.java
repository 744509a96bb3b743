package dev.sextant.storage.embedded;

import static java.util.Objects.requireNonNull;

import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogQueryBuilder;
import dev.sextant.storage.LogReader;
import dev.sextant.storage.LogRecord;
import dev.sextant.storage.Pin;
import dev.sextant.storage.PinRequest;
import dev.sextant.storage.Pins;
import dev.sextant.storage.Span;
import dev.sextant.storage.TraceReader;
import dev.sextant.storage.internal.pins.PinStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * {@link Pins} over the pin store, copying from the block stores' own readers. Synchronized: pins
 * are few and rare, and one lock keeps "drop the copies with the last pin" exact.
 */
final class DefaultPins implements Pins {
  private final PinStore store;
  private final TraceReader traces;
  private final LogReader logs;
  private final long keepAfterResolveMillis;

  DefaultPins(PinStore store, TraceReader traces, LogReader logs, long keepAfterResolveMillis) {
    this.store = store;
    this.traces = traces;
    this.logs = logs;
    this.keepAfterResolveMillis = keepAfterResolveMillis;
  }

  @Override
  public synchronized Pin pin(PinRequest r, long nowMillis) {
    requireNonNull(r, "request");
    String id = id(r);
    Pin old = store.pin(id);
    if (old == null && store.pins().size() >= MAX_PINS) {
      throw new PinLimitException(MAX_PINS);
    }
    List<Span> spans = r.traceId().isEmpty() ? List.of() : traces.getTrace(r.traceId(), MAX_SPANS);
    LogQueryBuilder q = LogQuery.builder().limit(MAX_LOGS);
    List<LogRecord> lines = logs.search((r.traceId().isEmpty()
        ? q.correlationId(r.correlationId()) : q.traceId(r.traceId())).build()).records();
    Pin pin = new Pin(id, r.traceId(), r.correlationId(), r.incidentId(), r.reason(),
        r.pinnedBy(), nowMillis, 0, 0,
        Math.max(spans.size(), old == null ? 0 : old.spans()),
        Math.max(lines.size(), old == null ? 0 : old.logs()));
    store.put(pin, spans, lines);
    return pin;
  }

  @Override
  public synchronized boolean unpin(String id) {
    Pin p = store.pin(requireNonNull(id, "id"));
    if (p == null) {
      return false;
    }
    drop(p);
    return true;
  }

  private void drop(Pin p) {
    boolean shared = store.pins().stream()
        .anyMatch(o -> !o.id().equals(p.id()) && o.target().equals(p.target()));
    store.delete(p, !shared);
  }

  @Override
  public synchronized List<Pin> list() {
    return store.pins().stream()
        .sorted(Comparator.comparingLong(Pin::createdAtMillis).reversed()
            .thenComparing(Pin::id))
        .toList();
  }

  @Override
  public synchronized int resolve(String incidentId, long atMillis) {
    requireNonNull(incidentId, "incidentId");
    if (incidentId.isEmpty()) {
      return 0;
    }
    int n = 0;
    for (Pin p : store.pins()) {
      if (p.incidentId().equals(incidentId) && p.resolvedAtMillis() == 0) {
        store.update(p.resolved(atMillis, keepAfterResolveMillis));
        n++;
      }
    }
    return n;
  }

  /** Drops the pins expired at {@code nowMillis}; the retention job calls it. */
  synchronized int expire(long nowMillis) {
    int n = 0;
    for (Pin p : store.pins()) {
      if (p.expiresAtMillis() != 0 && p.expiresAtMillis() <= nowMillis) {
        drop(p);
        n++;
      }
    }
    return n;
  }

  /** Whether some pin keeps copies of the trace (cheap: one seek). */
  List<Span> spans(String traceId, int limit) {
    return store.spans(traceId, limit);
  }

  List<LogRecord> logs(String target) {
    return store.logs(target);
  }

  private static String id(PinRequest r) {
    String target = r.traceId().isEmpty() ? "c" + r.correlationId() : "t" + r.traceId();
    try {
      byte[] h = MessageDigest.getInstance("SHA-256")
          .digest((target + "\u0000" + r.incidentId()).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
