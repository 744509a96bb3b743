package dev.sextant.storage.internal.spans;

import dev.sextant.storage.internal.kv.Block;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.ColumnFamilyHandle;

/**
 * One block of spans: the spans written during {@link #block}'s time range, in their own column
 * family and Lucene index, plus the range of their start times (what time-range queries test).
 */
final class SpanBlock {
  final Block block;
  final ColumnFamilyHandle cf;
  final int cfId;
  final SpanIndexer index;
  /** Searches that read this block's index: lets tests see which blocks a query skipped. */
  final AtomicLong searches = new AtomicLong();
  /** Writes accepted for this block whose indexing has not finished yet. */
  final AtomicInteger inFlight = new AtomicInteger();
  /**
   * Spans written to this block at or after this time (unix nanos) may be missing from the
   * index's last commit; -1 while the index has no commit (a crash then means a full re-index).
   */
  volatile long recoveryPoint = -1;
  volatile boolean sealed;
  /**
   * The dictionary the block's version 2 values refer to (see {@link DictionaryRewrite}); null
   * until the block is first rewritten. Set before any value refers to it, never changed after.
   */
  volatile SpanDictionary dictionary;
  // Start-time bounds of the spans written here; empty while min > max. Guarded by this.
  private long minStart = Long.MAX_VALUE;
  private long maxStart = Long.MIN_VALUE;

  SpanBlock(Block block, ColumnFamilyHandle cf, SpanIndexer index) {
    this.block = block;
    this.cf = cf;
    this.cfId = cf.getID();
    this.index = index;
  }

  /** Widens the bounds to cover {@code [min, max]}; true when they changed. */
  synchronized boolean widen(long min, long max) {
    boolean changed = false;
    if (min < minStart) {
      minStart = min;
      changed = true;
    }
    if (max > maxStart) {
      maxStart = max;
      changed = true;
    }
    return changed;
  }

  synchronized long minStart() {
    return minStart;
  }

  synchronized long maxStart() {
    return maxStart;
  }

  /** Whether a span of this block may have started in {@code [from, to)}. */
  synchronized boolean overlaps(long fromUnixNano, long toUnixNano) {
    return minStart <= maxStart && minStart < toUnixNano && maxStart >= fromUnixNano;
  }

  @Override
  public String toString() {
    return "span block " + block.name();
  }
}
