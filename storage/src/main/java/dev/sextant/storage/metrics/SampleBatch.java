package dev.sextant.storage.metrics;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Samples of many series, one per entry, in the order added: what one scrape writes, held in
 * parallel arrays instead of a {@link TimeSeries} with two arrays per sample. The entries are
 * written as the same list of one-sample {@link TimeSeries} would be ({@link #toTimeSeries()}):
 * in order, so of two entries of one series the later is dropped when it is not newer.
 *
 * <p>Not thread-safe. Once passed to {@link MetricWriter#append(SampleBatch)}, it must not be
 * changed until the returned future completes (the writer may read it until then).
 */
public final class SampleBatch {
  private SeriesRef[] refs;
  private long[] times;
  private double[] values;
  private int size;
  private long labelCount;

  /** An empty batch with room for {@code expectedSize} samples (it grows past them). */
  public SampleBatch(int expectedSize) {
    if (expectedSize < 0) {
      throw new IllegalArgumentException("expectedSize: " + expectedSize + " (expected: >= 0)");
    }
    int n = Math.max(expectedSize, 8);
    refs = new SeriesRef[n];
    times = new long[n];
    values = new double[n];
  }

  /** Adds a sample of {@code ref}'s series at {@code time} (unix ms). */
  public void add(SeriesRef ref, long time, double value) {
    requireNonNull(ref, "ref");
    if (size == refs.length) {
      int n = size * 2;
      refs = Arrays.copyOf(refs, n);
      times = Arrays.copyOf(times, n);
      values = Arrays.copyOf(values, n);
    }
    refs[size] = ref;
    times[size] = time;
    values[size] = value;
    size++;
    labelCount += ref.labelCount;
  }

  public int size() {
    return size;
  }

  /** The labels of every entry, summed (what a store sizes a write by). */
  public long labelCount() {
    return labelCount;
  }

  public SeriesRef ref(int i) {
    checkIndex(i);
    return refs[i];
  }

  public long time(int i) {
    checkIndex(i);
    return times[i];
  }

  public double value(int i) {
    checkIndex(i);
    return values[i];
  }

  /** The same samples as one-sample series, in order: for writers that take only those. */
  public List<TimeSeries> toTimeSeries() {
    List<TimeSeries> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      out.add(TimeSeries.of(refs[i].labels(), times[i], values[i]));
    }
    return out;
  }

  private void checkIndex(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("index: " + i + " (expected: 0 <= index < " + size
          + ")");
    }
  }
}
