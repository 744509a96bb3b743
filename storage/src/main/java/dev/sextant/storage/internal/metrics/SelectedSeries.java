package dev.sextant.storage.internal.metrics;

import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.SampleIterator;
import dev.sextant.storage.metrics.Series;
import org.jspecify.annotations.Nullable;

/**
 * A select result: chunks already read (compressed, oldest first, each overlapping the range),
 * decoded lazily and clipped to the range. Use {@link #of}, which drops series with no sample in
 * the range.
 */
final class SelectedSeries implements Series {
  private final Labels labels;
  /** The chunks {@code chunks[from, to)}: an array shared with a {@link ChunkView}, or own. */
  private final Chunk[] chunks;
  private final int from;
  private final int to;
  private final long minTime;
  private final long maxTime;
  /**
   * An iterator {@link #of} already moved to the first sample in range, with its chunk's index,
   * handed to the first {@link #samples()} call so that decoding is not done twice.
   */
  private volatile @Nullable GorillaIterator primed;
  private final int primedChunk;

  private SelectedSeries(Labels labels, Chunk[] chunks, int from, int to, long minTime,
      long maxTime, @Nullable GorillaIterator primed, int primedChunk) {
    this.labels = labels;
    this.chunks = chunks;
    this.from = from;
    this.to = to;
    this.minTime = minTime;
    this.maxTime = maxTime;
    this.primed = primed;
    this.primedChunk = primedChunk;
  }

  /**
   * The series over its chunks (each overlapping {@code [minTime, maxTime]}), or null when none
   * holds a sample in range. A chunk's first and last samples sit at its min and max time, so
   * only a chunk reaching past the range on both sides has to be decoded to find out; that
   * decoding is then kept for the first read.
   */
  static @Nullable SelectedSeries of(Labels labels, Chunk[] chunks, long minTime, long maxTime) {
    for (Chunk c : chunks) {
      if (c.minTime() >= minTime || c.maxTime() <= maxTime) {
        return new SelectedSeries(labels, chunks, 0, chunks.length, minTime, maxTime, null, -1);
      }
    }
    return primed(labels, chunks, 0, chunks.length, minTime, maxTime);
  }

  /**
   * The series over the in-memory chunks of {@code view} that overlap {@code [minTime,
   * maxTime]}, or null when none holds a sample in range; as {@link #of(Labels, Chunk[], long,
   * long)}, but the chunks are found, and most often the answer decided, from the view's bounds
   * alone, without touching a chunk (each a cache miss when selecting thousands of series).
   */
  static @Nullable SelectedSeries of(Labels labels, ChunkView view, long minTime,
      long maxTime) {
    // In-memory chunks are in time order and never overlap: those in range are a run.
    int size = view.size();
    int from = 0;
    while (from < size && view.maxTime(from) < minTime) {
      from++;
    }
    int to = from;
    while (to < size && view.minTime(to) <= maxTime) {
      to++;
    }
    for (int i = from; i < to; i++) {
      if (view.minTime(i) >= minTime || view.maxTime(i) <= maxTime) {
        return new SelectedSeries(labels, view.chunks(), from, to, minTime, maxTime, null, -1);
      }
    }
    return primed(labels, view.chunks(), from, to, minTime, maxTime);
  }

  /** Chunks that all reach past the range on both sides: decodes to find a sample in range. */
  private static @Nullable SelectedSeries primed(Labels labels, Chunk[] chunks, int from,
      int to, long minTime, long maxTime) {
    for (int i = from; i < to; i++) {
      GorillaIterator it = new GorillaIterator(chunks[i]);
      if (it.seek(minTime) && it.timestamp() <= maxTime) {
        return new SelectedSeries(labels, chunks, from, to, minTime, maxTime, it, i);
      }
    }
    return null;
  }

  @Override
  public Labels labels() {
    return labels;
  }

  /** The primed iterator for the first caller only (a Series may be read more than once). */
  private @Nullable GorillaIterator takePrimed() {
    if (primed == null) {
      return null; // most series: no lock to take (one per series read)
    }
    synchronized (this) {
      GorillaIterator p = primed;
      primed = null;
      return p;
    }
  }

  @Override
  public SampleIterator samples() {
    return new RangeIterator();
  }

  @Override
  public String toString() {
    return labels.toString();
  }

  private final class RangeIterator implements SampleIterator {
    private int chunk = from - 1;
    private @Nullable GorillaIterator current;
    /** Set when current is on a sample not returned yet (a primed iterator). */
    private boolean onSample;
    private boolean done;

    RangeIterator() {
      GorillaIterator p = takePrimed();
      if (p != null) {
        chunk = primedChunk;
        current = p;
        onSample = true;
      }
    }

    @Override
    public boolean next() {
      while (!done) {
        boolean has;
        if (onSample) {
          onSample = false;
          has = true;
        } else if (current == null) {
          if (++chunk >= to) {
            done = true;
            break;
          }
          Chunk c = chunks[chunk];
          current = new GorillaIterator(c);
          // Only a chunk starting before the range has samples to skip.
          has = c.minTime() < minTime ? current.seek(minTime) : current.next();
        } else {
          has = current.next();
        }
        if (!has) {
          current = null;
          continue;
        }
        if (current.timestamp() > maxTime) {
          done = true;
        } else {
          return true;
        }
      }
      return false;
    }

    @Override
    public long timestamp() {
      return current.timestamp();
    }

    @Override
    public double value() {
      return current.value();
    }
  }
}
