package dev.sextant.bench.jmh;

import dev.sextant.storage.embedded.EmbeddedMetricStore;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.MetricStore;
import dev.sextant.storage.metrics.SampleIterator;
import dev.sextant.storage.metrics.Series;
import dev.sextant.storage.metrics.TimeSeries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Gorilla chunks through the public metric store API (the codec itself is storage-internal;
 * storage's own benchmarks, if any, live under bench/.../bench/storage). Scores are samples/s.
 * <ul>
 *   <li>{@code decode}: select all 1,000 series × 480 samples (2 h of 15 s data, mostly in
 *       sealed chunks) and iterate every sample.</li>
 *   <li>{@code encode}: append 120 samples to each of 100 series per call (Gorilla append into
 *       the head chunks plus the unsynced WAL write; the chunk cut and store are included).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class GorillaBench {
  static final int DECODE_SERIES = 1_000;
  static final int DECODE_SAMPLES = DECODE_SERIES * 480;
  static final int ENCODE_SERIES = 100;
  static final int ENCODE_PER_SERIES = 120;

  MetricFixture fixture;
  Path writeDir;
  MetricStore writeStore;
  List<Labels> writeLabels;
  long writeTime;
  double[][] values;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    fixture = new MetricFixture(DECODE_SERIES, 120);
    writeDir = Files.createTempDirectory("sextant-bench-gorilla");
    writeStore = EmbeddedMetricStore.builder(writeDir).syncWrites(false).build();
    writeLabels = new ArrayList<>();
    SplittableRandom rnd = new SplittableRandom(11);
    values = new double[ENCODE_SERIES][ENCODE_PER_SERIES];
    for (int i = 0; i < ENCODE_SERIES; i++) {
      writeLabels.add(Labels.of(Labels.NAME, "w", "instance", "inst-" + i));
      double v = 0;
      for (int j = 0; j < ENCODE_PER_SERIES; j++) {
        v += rnd.nextInt(100) * 0.25;
        values[i][j] = v;
      }
    }
    writeTime = 1_000_000_000_000L;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    fixture.close();
    writeStore.close();
    Fixtures.deleteTree(writeDir);
  }

  @Benchmark
  @OperationsPerInvocation(DECODE_SAMPLES)
  public double decode() {
    double sum = 0;
    int n = 0;
    for (Series s : fixture.store.select(List.of(LabelMatcher.eq(Labels.NAME, "x")),
        Long.MIN_VALUE, Long.MAX_VALUE)) {
      SampleIterator it = s.samples();
      while (it.next()) {
        sum += it.value();
        n++;
      }
    }
    if (n != DECODE_SAMPLES) {
      throw new IllegalStateException("decoded: " + n + " (expected: " + DECODE_SAMPLES + ")");
    }
    return sum;
  }

  @Benchmark
  @OperationsPerInvocation(ENCODE_SERIES * ENCODE_PER_SERIES)
  public void encode() {
    List<TimeSeries> batch = new ArrayList<>(ENCODE_SERIES);
    long[] ts = new long[ENCODE_PER_SERIES];
    for (int j = 0; j < ENCODE_PER_SERIES; j++) {
      ts[j] = writeTime + j * MetricFixture.STEP_MS;
    }
    writeTime += ENCODE_PER_SERIES * MetricFixture.STEP_MS;
    for (int i = 0; i < ENCODE_SERIES; i++) {
      batch.add(new TimeSeries(writeLabels.get(i), ts, values[i]));
    }
    writeStore.write(batch).join();
  }
}
