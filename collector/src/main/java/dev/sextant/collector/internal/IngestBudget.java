package dev.sextant.collector.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The ingest queue's byte budget: request bytes between decode and durable acknowledgement.
 * Over budget, new requests are refused rather than buffered, so memory stays bounded.
 */
final class IngestBudget {
  private final long maxBytes;
  private final AtomicLong inFlight = new AtomicLong();

  IngestBudget(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  boolean tryAcquire(long bytes) {
    long now = inFlight.addAndGet(bytes);
    // A single request larger than the whole budget is still let through when nothing else is in
    // flight; the request size limit bounds it.
    if (now > maxBytes && now != bytes) {
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
}
