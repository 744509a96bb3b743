package dev.sextant.storage.internal.metrics;

import dev.sextant.storage.metrics.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One series in memory: its id, labels, head chunk and the chunks cut from the head but not yet
 * written to RocksDB. Head and pending chunks are guarded by {@code this}; only the writer thread
 * appends. {@code minTime}/{@code maxTime} bound every sample the series holds (on disk or not).
 */
final class MemSeries {
  final long id;
  final Labels labels;
  volatile long minTime = Long.MAX_VALUE;
  volatile long maxTime = Long.MIN_VALUE;
  /** Newest timestamp accepted into a write batch; writer thread only. */
  long acceptedMaxTime = Long.MIN_VALUE;
  /** Whether the series record is in RocksDB; writer thread only. */
  boolean persisted;
  /**
   * The {@link WalRecord} sequence holding the head's first sample, {@code Long.MAX_VALUE} when
   * the head is empty: the WAL is needed from there on; writer thread only.
   */
  long headSeq = Long.MAX_VALUE;

  private final GorillaAppender head = new GorillaAppender();
  private Chunk[] pending;

  MemSeries(long id, Labels labels) {
    this.id = id;
    this.labels = labels;
  }

  /** A consistent view for a reader: pending chunks then the head, oldest first. */
  synchronized List<Chunk> snapshot() {
    List<Chunk> out = new ArrayList<>((pending == null ? 0 : pending.length) + 1);
    if (pending != null) {
      out.addAll(List.of(pending));
    }
    if (head.count() > 0) {
      out.add(head.snapshot());
    }
    return out;
  }

  /**
   * Appends one sample, first cutting the head when it holds {@code maxSamples} samples, when
   * {@code t} lies {@code maxSpan} or more past its start, or when {@code t} falls in another
   * block of {@code blockMillis} than the head's start: a chunk never straddles two blocks, so
   * dropping a block drops whole chunks. {@code seq} is the WAL record holding the sample.
   * Returns the cut chunk, else null.
   */
  synchronized Cut append(long t, long valueBits, long seq, int maxSamples, long maxSpan,
      long blockMillis) {
    Cut cut = null;
    if (head.count() > 0 && (head.count() >= maxSamples || t - head.minTime() >= maxSpan
        || Math.floorDiv(t, blockMillis) != Math.floorDiv(head.minTime(), blockMillis))) {
      cut = cutHead();
    }
    if (head.count() == 0) {
      headSeq = seq;
    }
    head.append(t, valueBits);
    if (t < minTime) {
      minTime = t;
    }
    maxTime = t;
    return cut;
  }

  /** Cuts a non-empty head into a pending chunk; null when the head is empty. */
  synchronized Cut cutHead() {
    if (head.count() == 0) {
      return null;
    }
    Cut cut = new Cut(this, head.minTime(), head.maxTime(), head.encode(), headSeq);
    headSeq = Long.MAX_VALUE;
    Chunk c = head.snapshot();
    if (pending == null) {
      pending = new Chunk[] {c};
    } else {
      Chunk[] p = Arrays.copyOf(pending, pending.length + 1);
      p[pending.length] = c;
      pending = p;
    }
    head.reset();
    return cut;
  }

  /** Forgets pending chunks now readable from RocksDB. */
  synchronized void written(long upToMinTime) {
    if (pending == null) {
      return;
    }
    int keep = 0;
    for (Chunk c : pending) {
      if (c.minTime() > upToMinTime) {
        keep++;
      }
    }
    if (keep == 0) {
      pending = null;
    } else if (keep < pending.length) {
      pending = Arrays.copyOfRange(pending, pending.length - keep, pending.length);
    }
  }

  /** Drops the head when all its samples are older than {@code minTime}. */
  synchronized void dropHeadBefore(long minTime) {
    if (head.count() == 0 || head.maxTime() >= minTime || pending != null) {
      return;
    }
    head.reset();
    headSeq = Long.MAX_VALUE;
  }

  synchronized int headCount() {
    return head.count();
  }

  synchronized long headMinTime() {
    return head.count() == 0 ? Long.MAX_VALUE : head.minTime();
  }

  synchronized boolean hasPending() {
    return pending != null;
  }

  /**
   * A chunk cut from the head, to be written to the chunks column family; {@code seq} is the WAL
   * record of its first sample.
   */
  record Cut(MemSeries series, long minTime, long maxTime, byte[] value, long seq) {}
}
