package dev.sextant.alert.notify;

import java.time.Instant;

/**
 * Keeps a page's evidence past retention (the server pins its traces in storage): told when a
 * firing page of an incident goes out with evidence, and when the incident resolves. The incident
 * ID is the page's dedup key (PagerDuty's incident). Called on the notification path: must be
 * quick and should not throw (a failure is logged, the page goes out regardless).
 */
public interface EvidencePins {
  /** A firing page of {@code incidentId} carries {@code evidence}; {@code reason} names it. */
  void firing(String incidentId, String reason, Evidence evidence);

  /** The incident resolved at {@code at}: its pins may expire from then on. */
  void resolved(String incidentId, Instant at);
}
