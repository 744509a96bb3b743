package dev.sextant.server.alerting;

import static java.util.Objects.requireNonNull;

import dev.sextant.alert.notify.Evidence;
import dev.sextant.alert.notify.EvidencePins;
import dev.sextant.storage.Ids;
import dev.sextant.storage.PinRequest;
import dev.sextant.storage.Storage;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pins a page's evidence in its tenant's store: every evidence trace (its spans and log lines)
 * with the incident ID, pinned by {@code alert}; a resolve starts their expiry.
 */
final class PagePins implements EvidencePins {
  private static final Logger log = LoggerFactory.getLogger(PagePins.class);
  private static final String TRACE_PATH = "/ui/traces/";

  private final Storage storage;
  private final Clock clock;

  PagePins(Storage storage, Clock clock) {
    this.storage = requireNonNull(storage, "storage");
    this.clock = requireNonNull(clock, "clock");
  }

  @Override
  public void firing(String incidentId, String reason, Evidence evidence) {
    String why = reason.length() > PinRequest.MAX_TEXT
        ? reason.substring(0, PinRequest.MAX_TEXT) : reason;
    for (Evidence.Link l : evidence.traces()) {
      int at = l.href().lastIndexOf(TRACE_PATH);
      String traceId = at < 0 ? "" : l.href().substring(at + TRACE_PATH.length());
      if (!Ids.isValidTraceId(traceId)) {
        continue;
      }
      try {
        storage.pins().pin(new PinRequest(traceId, "", incidentId, why, "alert"),
            clock.millis());
      } catch (RuntimeException e) {
        log.warn("pinning trace {} of incident {} failed: {}", traceId, incidentId, e.toString());
      }
    }
  }

  @Override
  public void resolved(String incidentId, Instant at) {
    storage.pins().resolve(incidentId, at.toEpochMilli());
  }
}
