package dev.sextant.collector.internal;

import java.io.File;

/**
 * Refuses ingest while the data directory's file system is nearly full, so that a disk-full
 * condition is met with a retryable refusal before the write instead of a failed write (and
 * RocksDB's read-only error state) after it. Checked at most every {@link #RECHECK_NANOS}: a
 * {@code statfs} per request is cheap, but a flood does not need one each.
 */
public final class DiskSpaceGuard {
  static final long RECHECK_NANOS = 200_000_000L;

  private final File dir;
  private final long minFreeBytes;
  private volatile long checkedAtNanos;
  private volatile long usableBytes = Long.MAX_VALUE;

  /** {@code minFreeBytes} 0 turns the check off. */
  public DiskSpaceGuard(File dir, long minFreeBytes) {
    if (minFreeBytes < 0) {
      throw new IllegalArgumentException("minFreeBytes: " + minFreeBytes + " (expected: >= 0)");
    }
    this.dir = dir;
    this.minFreeBytes = minFreeBytes;
  }

  /** Null when there is room; otherwise why not, for the refusal message. */
  String refusal() {
    if (minFreeBytes == 0) {
      return null;
    }
    long now = System.nanoTime();
    if (now - checkedAtNanos > RECHECK_NANOS) {
      long usable = dir.getUsableSpace(); // 0 when it cannot be read: refuse, do not guess
      usableBytes = usable;
      checkedAtNanos = now;
    }
    long usable = usableBytes;
    return usable >= minFreeBytes ? null : "disk full: " + usable + " bytes usable in " + dir
        + " (expected: >= " + minFreeBytes + "); nothing from this request was stored, retry"
        + " later";
  }
}
