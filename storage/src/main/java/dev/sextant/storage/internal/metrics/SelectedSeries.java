package dev.sextant.storage.internal.metrics;

import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.SampleIterator;
import dev.sextant.storage.metrics.Series;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A select result: chunks already read (compressed, oldest first, each overlapping the range),
 * decoded lazily and clipped to the range. Use {@link #of}, which drops series with no sample in
 * the range.
 */
final class SelectedSeries implements Series {
  private final Labels labels;
  private final List<Chunk> chunks;
  private final long minTime;
  private final long maxTime;
  /**
   * An iterator {@link #of} already moved to the first sample in range, with its chunk's index,
   * handed to the first {@link #samples()} call so that decoding is not done twice.
   */
  private @Nullable GorillaIterator primed;
  private final int primedChunk;

  private SelectedSeries(Labels labels, List<Chunk> chunks, long minTime, long maxTime,
      @Nullable GorillaIterator primed, int primedChunk) {
    this.labels = labels;
    this.chunks = chunks;
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
  static @Nullable SelectedSeries of(Labels labels, List<Chunk> chunks, long minTime,
      long maxTime) {
    // Indexed, not for-each: an iterator per selected series is most of a select's garbage.
    for (int i = 0; i < chunks.size(); i++) {
      Chunk c = chunks.get(i);
      if (c.minTime() >= minTime || c.maxTime() <= maxTime) {
        return new SelectedSeries(labels, chunks, minTime, maxTime, null, -1);
      }
    }
    for (int i = 0; i < chunks.size(); i++) {
      GorillaIterator it = new GorillaIterator(chunks.get(i));
      if (it.seek(minTime) && it.timestamp() <= maxTime) {
        return new SelectedSeries(labels, chunks, minTime, maxTime, it, i);
      }
    }
    return null;
  }

  @Override
  public Labels labels() {
    return labels;
  }

  /** The primed iterator for the first caller only (a Series may be read more than once). */
  private synchronized @Nullable GorillaIterator takePrimed() {
    GorillaIterator p = primed;
    primed = null;
    return p;
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
    private int chunk = -1;
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
          if (++chunk >= chunks.size()) {
            done = true;
            break;
          }
          Chunk c = chunks.get(chunk);
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
