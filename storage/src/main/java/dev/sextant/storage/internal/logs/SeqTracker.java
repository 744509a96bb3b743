package dev.sextant.storage.internal.logs;

import java.util.TreeSet;

/**
 * Hands out sequence numbers in blocks (one per write) and knows the highest number below which
 * every block is either indexed or abandoned: the watermark a Lucene commit may record.
 */
final class SeqTracker {
  private final TreeSet<Long> inFlight = new TreeSet<>();
  private long next;

  /** Numbers start after {@code last}. */
  SeqTracker(long last) {
    next = last + 1;
  }

  /** Reserves {@code n} numbers; returns the first. The block is in flight until {@link #done}. */
  synchronized long reserve(int n) {
    long first = next;
    next += n;
    inFlight.add(first);
    return first;
  }

  /** The block starting at {@code first} is indexed, or was never written. */
  synchronized void done(long first) {
    inFlight.remove(first);
  }

  /** Every number up to this one is indexed or abandoned. */
  synchronized long watermark() {
    return inFlight.isEmpty() ? next - 1 : inFlight.first() - 1;
  }
}
