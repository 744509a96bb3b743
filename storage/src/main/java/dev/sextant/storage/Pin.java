package dev.sextant.storage;

import static java.util.Objects.requireNonNull;

/**
 * A trace or the log lines of a correlation ID kept past retention for an incident: its spans
 * and log lines were copied where retention does not drop them, and reads by trace ID or
 * correlation ID still find them once their blocks are gone (see {@link Pins}).
 *
 * @param id stable per target and incident: pinning the same target for the same incident again
 *     updates this pin
 * @param traceId the pinned trace (32 lowercase hex characters), or empty
 * @param correlationId the correlation ID whose log lines are pinned, or empty
 * @param incidentId the incident it is evidence for (a page's dedup key, or a user's own ID), or
 *     empty when pinned for no incident
 * @param reason why it was pinned, for the person who finds it later
 * @param pinnedBy who or what pinned it: a user, {@code "alert"}
 * @param createdAtMillis when it was (last) pinned
 * @param resolvedAtMillis when its incident was resolved, 0 while it is open (or has none)
 * @param expiresAtMillis when it is dropped, 0 for never (until unpinned, or until its incident
 *     resolves and sets this)
 * @param spans spans copied
 * @param logs log lines copied
 */
public record Pin(String id, String traceId, String correlationId, String incidentId,
    String reason, String pinnedBy, long createdAtMillis, long resolvedAtMillis,
    long expiresAtMillis, int spans, int logs) {
  public Pin {
    requireNonNull(id, "id");
    requireNonNull(traceId, "traceId");
    requireNonNull(correlationId, "correlationId");
    requireNonNull(incidentId, "incidentId");
    requireNonNull(reason, "reason");
    requireNonNull(pinnedBy, "pinnedBy");
  }

  /** The key its copies are kept under: {@code t<traceId>} or {@code c<correlationId>}. */
  public String target() {
    return traceId.isEmpty() ? "c" + correlationId : "t" + traceId;
  }

  /** A copy with the incident resolved at {@code atMillis}, dropped {@code keepMillis} later. */
  public Pin resolved(long atMillis, long keepMillis) {
    return new Pin(id, traceId, correlationId, incidentId, reason, pinnedBy, createdAtMillis,
        atMillis, atMillis + keepMillis, spans, logs);
  }
}
