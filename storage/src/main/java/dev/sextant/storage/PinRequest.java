package dev.sextant.storage;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * What to pin: exactly one of a trace (its spans and its log lines) or the log lines of a
 * correlation ID, for an incident (optional), with a reason and who asks.
 *
 * @throws IllegalArgumentException naming the field when one is missing, malformed or longer than
 *     {@value #MAX_TEXT} characters
 */
public record PinRequest(String traceId, String correlationId, String incidentId, String reason,
    String pinnedBy) {
  /** Longest incident ID, reason, correlation ID and pinner name accepted. */
  public static final int MAX_TEXT = 200;

  public PinRequest {
    traceId = requireNonNull(traceId, "traceId").toLowerCase(Locale.ROOT);
    requireNonNull(correlationId, "correlationId");
    requireNonNull(incidentId, "incidentId");
    requireNonNull(reason, "reason");
    requireNonNull(pinnedBy, "pinnedBy");
    if (traceId.isEmpty() == correlationId.isEmpty()) {
      throw new IllegalArgumentException("traceId, correlationId: '" + traceId + "', '"
          + correlationId + "' (expected: exactly one of them)");
    }
    if (!traceId.isEmpty() && !Ids.isValidTraceId(traceId)) {
      throw new IllegalArgumentException("traceId: " + traceId + " (expected: "
          + Ids.TRACE_ID_FORM + ")");
    }
    check("correlationId", correlationId);
    check("incidentId", incidentId);
    check("reason", reason);
    check("pinnedBy", pinnedBy);
  }

  private static void check(String field, String value) {
    if (value.length() > MAX_TEXT) {
      throw new IllegalArgumentException(field + ": " + value.length() + " characters (expected: <= "
          + MAX_TEXT + ")");
    }
  }
}
