package dev.sextant.storage;

import java.util.List;

/**
 * The pinned set of one store: traces and log lines kept past retention as evidence (see
 * {@link Pin}). Pinning copies the target's spans (at most {@value #MAX_SPANS}) and log lines (at
 * most {@value #MAX_LOGS}, the newest) out of the time blocks into a store retention never
 * sweeps; {@link TraceReader#getTrace} and log searches by trace or correlation ID read the copies
 * once the blocks are gone. A pin lasts until unpinned or until its expiry: none while its
 * incident is open; {@link #resolve} sets it to the resolve time plus the store's keep time.
 * Copies are shared by every pin of one target and dropped with the last of them.
 */
public interface Pins {
  /** Spans copied per pinned trace, at most. */
  int MAX_SPANS = 10_000;
  /** Log lines copied per pin, at most. */
  int MAX_LOGS = 1_000;
  /** Pins per store, at most. */
  int MAX_PINS = 10_000;

  /**
   * Pins the target for the incident (again: re-copies what was written since, and reopens a
   * resolved pin), at {@code nowMillis}.
   *
   * @throws PinLimitException when the store holds {@value #MAX_PINS} pins already
   * @throws StorageException when the store is closed or the copy fails
   */
  Pin pin(PinRequest request, long nowMillis);

  /** Drops the pin, and the copies no other pin needs; false when there was none. */
  boolean unpin(String id);

  /** Every pin, newest first. */
  List<Pin> list();

  /**
   * The incident was resolved at {@code atMillis}: its open pins expire after the keep time.
   *
   * @return the pins updated
   */
  int resolve(String incidentId, long atMillis);

  /** Thrown when a store already holds its maximum of pins; the caller may unpin and retry. */
  final class PinLimitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PinLimitException(int max) {
      super("pins: " + max + " already (expected: < " + max + "; unpin some first)");
    }
  }
}
