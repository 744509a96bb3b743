package dev.sextant.collector.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The ingest queue's byte budget: request bytes from their arrival to durable acknowledgement.
 * Over budget, new requests are refused rather than buffered, so memory stays bounded.
 */
final class IngestBudget {
  private final long maxBytes;
  private final AtomicLong inFlight = new AtomicLong();

  IngestBudget(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  boolean tryAcquire(long bytes) {
    return tryAcquire(bytes, bytes);
  }

  /**
   * Takes {@code bytes} more for a request that then holds {@code ownAfter} in total. A single
   * request larger than the whole budget is still let through when nothing else is in flight;
   * the request size limit bounds it.
   */
  private boolean tryAcquire(long bytes, long ownAfter) {
    long now = inFlight.addAndGet(bytes);
    if (now > maxBytes && now != ownAfter) {
      inFlight.addAndGet(-bytes);
      return false;
    }
    IngestMetrics.INSTANCE.queueBytes.set(now);
    return true;
  }

  void release(long bytes) {
    IngestMetrics.INSTANCE.queueBytes.set(inFlight.addAndGet(-bytes));
  }

  long inFlight() {
    return inFlight.get();
  }

  /** A reservation that grows as a request's body arrives; see {@link Reservation}. */
  Reservation reserve() {
    return new Reservation();
  }

  /**
   * One request's share of the budget. Its body's bytes are {@linkplain #grow added} as they
   * arrive (before they are buffered), then {@linkplain #resize resized} to the decoded size. It is
   * held by the request (until it is answered) and by its storage write (until the write ends,
   * which may be after a storage-timeout answer); the bytes return when both let go. Once
   * released it takes no more bytes.
   */
  final class Reservation {
    private long bytes;
    private int holds = 1;
    private boolean answered;

    /** Adds {@code n} bytes; false (nothing added) when that is over the budget or released. */
    synchronized boolean grow(long n) {
      if (holds == 0 || !tryAcquire(n, bytes + n)) {
        return false;
      }
      bytes += n;
      return true;
    }

    /** Grows (never shrinks) to {@code total} bytes; false when that is over the budget. */
    synchronized boolean resize(long total) {
      return total <= bytes || grow(total - bytes);
    }

    /** True once the bytes went back to the budget (every hold let go). */
    synchronized boolean released() {
      return holds == 0;
    }

    synchronized long bytes() {
      return bytes;
    }

    /** Another holder (the storage write); each {@link #hold} needs one {@link #unhold}. */
    synchronized void hold() {
      if (holds == 0) {
        throw new IllegalStateException("reservation already released");
      }
      holds++;
    }

    /** Lets go of one {@link #hold}; the last hold returns the bytes to the budget. */
    synchronized void unhold() {
      if (holds == 0) {
        throw new IllegalStateException("reservation already released");
      }
      if (--holds == 0) {
        release(bytes);
        bytes = 0;
      }
    }

    /** The request is answered: lets go of its own hold (idempotent). */
    synchronized void answered() {
      if (!answered) {
        answered = true;
        unhold();
      }
    }
  }
}
