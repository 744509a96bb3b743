package dev.sextant.alert.notify;

import java.time.Instant;

/**
 * Keeps a page's evidence past retention (the server pins its traces in storage): told when a
 * firing page of an incident goes out with evidence, and when the incident resolves. The incident
 * ID is the page's dedup key (PagerDuty's incident). Called on the notification path: must be
 * quick and should not throw (a failure is logged, the page goes out regardless). The engine
 * closes it when it closes itself.
 */
public interface EvidencePins {
  /** A firing page of {@code incidentId} carries {@code evidence}; {@code reason} names it. */
  void firing(String incidentId, String reason, Evidence evidence);

  /** The incident resolved at {@code at}: its pins may expire from then on. */
  void resolved(String incidentId, Instant at);

  /**
   * The engine closed (it lost the lead, or the node stops): nothing more is told, and work still
   * pending (a pin retried in the background) is dropped. Does nothing by default.
   */
  default void close() {}
}
