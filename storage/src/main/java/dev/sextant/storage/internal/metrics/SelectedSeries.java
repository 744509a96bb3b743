package dev.sextant.storage.internal.metrics;

import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.SampleIterator;
import dev.sextant.storage.metrics.Series;
import java.util.List;

/**
 * A select result: chunks already read (compressed, oldest first, each overlapping the range),
 * decoded lazily and clipped to the range.
 */
final class SelectedSeries implements Series, Comparable<SelectedSeries> {
  private final Labels labels;
  private final List<Chunk> chunks;
  private final long minTime;
  private final long maxTime;

  SelectedSeries(Labels labels, List<Chunk> chunks, long minTime, long maxTime) {
    this.labels = labels;
    this.chunks = chunks;
    this.minTime = minTime;
    this.maxTime = maxTime;
  }

  /**
   * Whether the chunks (each overlapping {@code [minTime, maxTime]}) hold a sample in range. A
   * chunk's first and last samples sit at its min and max time, so only a chunk reaching past
   * the range on both sides has to be decoded to find out.
   */
  static boolean hasSampleIn(List<Chunk> chunks, long minTime, long maxTime) {
    for (Chunk c : chunks) {
      if (c.minTime() >= minTime || c.maxTime() <= maxTime) {
        return true;
      }
    }
    for (Chunk c : chunks) {
      GorillaIterator it = new GorillaIterator(c);
      if (it.seek(minTime) && it.timestamp() <= maxTime) {
        return true;
      }
    }
    return false;
  }

  @Override
  public int compareTo(SelectedSeries o) {
    return labels.compareTo(o.labels);
  }

  @Override
  public Labels labels() {
    return labels;
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
    private GorillaIterator current;
    private boolean done;

    @Override
    public boolean next() {
      while (!done) {
        boolean has;
        if (current == null) {
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
