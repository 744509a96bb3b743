package dev.sextant.bench.jmh;

import dev.sextant.storage.embedded.EmbeddedMetricStore;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.MetricStore;
import dev.sextant.storage.metrics.SampleIterator;
import dev.sextant.storage.metrics.Series;
import dev.sextant.storage.metrics.TimeSeries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A metric store in a temp dir holding {@code series} counters named {@code x} with labels
 * {@code job="job-<i % 10>"} and {@code instance="inst-<i>"}, one sample every 15 s for
 * {@code minutes} minutes ending at {@link #END_MS}. Counter increments are random, with a reset
 * now and then, so the values do not compress to nothing.
 */
final class MetricFixture implements AutoCloseable {
  static final long STEP_MS = 15_000;
  /** The newest sample's time (2026-01-01T00:00:00Z). */
  static final long END_MS = 1_767_225_600_000L;
  static final int JOBS = 10;

  final Path dir;
  final MetricStore store;
  final int series;
  final int samplesPerSeries;

  MetricFixture(int series, int minutes) {
    this.series = series;
    this.samplesPerSeries = (int) (minutes * 60_000L / STEP_MS);
    try {
      dir = Files.createTempDirectory("sextant-bench-metrics");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    store = EmbeddedMetricStore.builder(dir).syncWrites(false).build();
    SplittableRandom rnd = new SplittableRandom(42);
    long first = END_MS - (samplesPerSeries - 1) * STEP_MS;
    List<TimeSeries> batch = new ArrayList<>();
    for (int i = 0; i < series; i++) {
      long[] ts = new long[samplesPerSeries];
      double[] vs = new double[samplesPerSeries];
      double v = 0;
      for (int j = 0; j < samplesPerSeries; j++) {
        ts[j] = first + j * STEP_MS;
        v = rnd.nextInt(500) == 0 ? 0 : v + rnd.nextInt(100);
        vs[j] = v;
      }
      batch.add(new TimeSeries(labels(i), ts, vs));
      if (batch.size() == 500) {
        store.write(batch).join();
        batch = new ArrayList<>();
      }
    }
    if (!batch.isEmpty()) {
      store.write(batch).join();
    }
  }

  static Labels labels(int i) {
    return Labels.of(Labels.NAME, "x", "job", "job-" + (i % JOBS), "instance", "inst-" + i);
  }

  /** Every stored timestamp of series matching x, for exact samples-in-window counts. */
  List<long[]> timestamps() {
    List<long[]> out = new ArrayList<>();
    for (Series s : store.select(List.of(LabelMatcher.eq(Labels.NAME, "x")), Long.MIN_VALUE,
        Long.MAX_VALUE)) {
      long[] ts = new long[samplesPerSeries];
      int n = 0;
      SampleIterator it = s.samples();
      while (it.next()) {
        if (n == ts.length) {
          ts = Arrays.copyOf(ts, n * 2);
        }
        ts[n++] = it.timestamp();
      }
      out.add(Arrays.copyOf(ts, n));
    }
    return out;
  }

  /**
   * Samples a range function scans when evaluated at every step from {@code start} to
   * {@code end}: those in the left-open window {@code (t - range, t]}, summed over steps (what
   * Prometheus's query stats call total queryable samples).
   */
  long windowSamples(long start, long end, long step, long range) {
    long n = 0;
    for (long[] ts : timestamps()) {
      for (long t = start; t <= end; t += step) {
        for (long x : ts) {
          if (x > t - range && x <= t) {
            n++;
          }
        }
      }
    }
    return n;
  }

  @Override
  public void close() {
    store.close();
    Fixtures.deleteTree(dir);
  }
}
