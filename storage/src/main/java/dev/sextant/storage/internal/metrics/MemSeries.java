package dev.sextant.storage.internal.metrics;

import dev.sextant.storage.metrics.Labels;
import java.util.Arrays;
import java.util.List;

/**
 * One series in memory: its id, labels, head chunk, the chunks cut from the head but not yet
 * written to RocksDB (pending), and the newest written ones (recent, also in RocksDB), kept so
 * that queries of the last {@link #RECENT_MILLIS} (alert rules, dashboards) read no chunk from
 * RocksDB. Head, pending and recent chunks are guarded by {@code this}; only the writer thread
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
  /** The end (exclusive) of the block of the head's first sample; set when the head starts. */
  private long headBlockEnd;

  /** Written chunks are kept in memory while they hold samples this recent (see trimRecent). */
  static final long RECENT_MILLIS = 60 * 60_000L;
  /** At most this many written chunks are kept (bounds memory for fast scrape intervals). */
  static final int MAX_RECENT = 4;

  private final GorillaAppender head = new GorillaAppender();
  private Chunk[] pending;
  private Chunk[] recent;
  /** The head's last snapshot, reused until the head changes. */
  private Chunk headSnapshot;
  /** The last {@link #snapshot()}, reused until a chunk changes (null: to build). */
  private List<Chunk> view;

  MemSeries(long id, Labels labels) {
    this.id = id;
    this.labels = labels;
  }

  /**
   * A consistent view for a reader: recent chunks, pending chunks, then the head, oldest first.
   * Every chunk in RocksDB that is not in it ends before its first chunk starts.
   */
  synchronized List<Chunk> snapshot() {
    List<Chunk> v = view;
    if (v != null) {
      return v;
    }
    int nr = recent == null ? 0 : recent.length;
    int np = pending == null ? 0 : pending.length;
    Chunk[] all = new Chunk[nr + np + (head.count() > 0 ? 1 : 0)];
    if (nr > 0) {
      System.arraycopy(recent, 0, all, 0, nr);
    }
    if (np > 0) {
      System.arraycopy(pending, 0, all, nr, np);
    }
    if (head.count() > 0) {
      if (headSnapshot == null) {
        headSnapshot = head.snapshot();
      }
      all[nr + np] = headSnapshot;
    }
    v = List.of(all);
    view = v;
    return v;
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
    // t > the head's samples: it is in another block exactly when it is at or past the end of
    // the head's block (no two long divisions per sample).
    if (head.count() > 0 && (head.count() >= maxSamples || t - head.minTime() >= maxSpan
        || (t >= headBlockEnd
            && Math.floorDiv(t, blockMillis) != Math.floorDiv(head.minTime(), blockMillis)))) {
      cut = cutHead();
    }
    if (head.count() == 0) {
      headSeq = seq;
      long block = Math.floorDiv(t, blockMillis);
      try {
        headBlockEnd = Math.multiplyExact(block + 1, blockMillis);
      } catch (ArithmeticException e) {
        // Out of range: the divisions decide (MAX_VALUE: in the last block, which no later t
        // leaves; MIN_VALUE: every time).
        headBlockEnd = block < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
      }
    }
    head.append(t, valueBits);
    headSnapshot = null;
    view = null;
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
    Chunk c = headSnapshot != null ? headSnapshot : head.snapshot();
    if (pending == null) {
      pending = new Chunk[] {c};
    } else {
      Chunk[] p = Arrays.copyOf(pending, pending.length + 1);
      p[pending.length] = c;
      pending = p;
    }
    head.reset();
    headSnapshot = null;
    view = null;
    return cut;
  }

  /** Moves pending chunks now readable from RocksDB to the recent ones. */
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
    int done = pending.length - keep;
    if (done == 0) {
      return;
    }
    Chunk[] r = recent == null ? new Chunk[done]
        : Arrays.copyOf(recent, recent.length + done);
    System.arraycopy(pending, 0, r, r.length - done, done);
    recent = trimRecent(r);
    pending = keep == 0 ? null : Arrays.copyOfRange(pending, done, pending.length);
    view = null;
  }

  /**
   * The newest written chunks that still matter: all those ending within {@link #RECENT_MILLIS}
   * of the newest sample, and always the newest one (a head just cut covers little), at most
   * {@link #MAX_RECENT}.
   */
  private Chunk[] trimRecent(Chunk[] r) {
    long cutoff = maxTime - RECENT_MILLIS;
    int from = Math.max(0, r.length - MAX_RECENT);
    while (from < r.length - 1 && r[from].maxTime() < cutoff) {
      from++;
    }
    return from == 0 ? r : Arrays.copyOfRange(r, from, r.length);
  }

  /** Forgets the recent chunks (an idle series: its samples stay readable from RocksDB). */
  synchronized void dropRecent() {
    if (recent != null) {
      recent = null;
      view = null;
    }
  }

  /**
   * Forgets recent chunks starting before {@code dataStart}: their block was dropped (chunks never
   * straddle blocks).
   */
  synchronized void dropRecentBefore(long dataStart) {
    if (recent == null) {
      return;
    }
    int from = 0;
    while (from < recent.length && recent[from].minTime() < dataStart) {
      from++;
    }
    if (from > 0) {
      recent = from == recent.length ? null : Arrays.copyOfRange(recent, from, recent.length);
      view = null;
    }
  }

  /** Drops the head when all its samples are older than {@code minTime}. */
  synchronized void dropHeadBefore(long minTime) {
    if (head.count() == 0 || head.maxTime() >= minTime || pending != null) {
      return;
    }
    head.reset();
    headSnapshot = null;
    view = null;
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
