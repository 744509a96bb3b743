package dev.sextant.storage.internal.spans;

import java.util.TreeMap;

/**
 * The span index watermark: the wall-clock time (unix nanos) before which every started
 * {@code index} call has finished. A slow call (a GC pause, a long batch) holds it back, so a commit
 * never claims spans still being added.
 */
public final class InFlightClock {
  private final TreeMap<Long, Integer> started = new TreeMap<>();

  /** Marks a call as started; pass the result to {@link #exit}. */
  synchronized long enter() {
    long t = now();
    started.merge(t, 1, Integer::sum);
    return t;
  }

  synchronized void exit(long token) {
    started.computeIfPresent(token, (k, n) -> n == 1 ? null : n - 1);
  }

  synchronized long watermark() {
    long now = now();
    return started.isEmpty() ? now : Math.min(now, started.firstKey());
  }

  private static long now() {
    return System.currentTimeMillis() * 1_000_000L;
  }
}
