package dev.sextant.storage.internal.metrics;

import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.SampleIterator;
import dev.sextant.storage.metrics.Series;
import java.util.List;

/** A select result: chunks already read (compressed), decoded lazily and clipped to the range. */
final class SelectedSeries implements Series {
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
    private SampleIterator current;
    private boolean done;

    @Override
    public boolean next() {
      while (!done) {
        if (current == null) {
          if (++chunk >= chunks.size()) {
            done = true;
            break;
          }
          current = chunks.get(chunk).iterator();
        }
        if (!current.next()) {
          current = null;
          continue;
        }
        long t = current.timestamp();
        if (t > maxTime) {
          done = true;
        } else if (t >= minTime) {
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
