package dev.sextant.alert.notify;

import dev.sextant.storage.metrics.Labels;
import java.time.Instant;

/**
 * Finds evidence for a firing alert: traces and error logs matching its {@code service} /
 * {@code job} / {@code operation} labels between {@code from} and {@code to}. Implemented by the
 * server over the trace and log stores; must be quick (it runs before the page is queued) and
 * should return {@link Evidence#NONE} rather than throw.
 */
@FunctionalInterface
public interface EvidenceProvider {
  Evidence find(Labels alertLabels, Instant from, Instant to);
}
