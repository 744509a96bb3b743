package dev.sextant.storage.internal.logs;

import dev.sextant.storage.internal.index.LuceneIndex;
import dev.sextant.storage.internal.kv.Block;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The index side of one block of log records (the records are in {@link LogDb}). */
final class LogBlock {
  final Block block;
  final LuceneIndex index;
  /** Searches that read this block's index: lets tests see which blocks a query skipped. */
  final AtomicLong searches = new AtomicLong();
  /** Writes to this block not yet indexed (or failed). */
  final AtomicInteger inFlight = new AtomicInteger();
  /** Sequence number covered by the index's last commit; -1 while it has none. */
  volatile long committed = -1;
  volatile boolean sealed;

  LogBlock(Block block, LuceneIndex index) {
    this.block = block;
    this.index = index;
    this.sealed = index.openedSealed();
    this.committed = index.openedWatermark().orElse(-1);
  }

  /** Whether a record of this block may have a time in {@code [from, to)} (unix nanos). */
  boolean overlaps(long fromUnixNano, long toUnixNano) {
    long start = block.startMillis() * 1_000_000L;
    long end = block.endMillis() * 1_000_000L;
    return start < toUnixNano && end > fromUnixNano;
  }
}
