package dev.sextant.bench.storage;

import dev.sextant.storage.embedded.EmbeddedStorage;
import dev.sextant.storage.Retention;
import dev.sextant.storage.metrics.SampleIterator;
import dev.sextant.storage.metrics.Series;
import dev.sextant.storage.metrics.TimeSeries;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Disk bytes per sample for 15 s scrape-like data and heap bytes per active series. The series mix
 * imitates an instrumented application plus node exporter (see {@link ScrapeSeries}): counters,
 * histogram buckets, sums, gauges; timestamps are 15 s apart plus a uniform jitter of
 * {@code ±jitterMs}, as scrape timing wobbles.
 */
final class MetricFigures {
  static final long STEP = 15_000;

  private MetricFigures() {}

  private static EmbeddedStorage open(Path dir) {
    return EmbeddedStorage.builder().dataDir(dir).maxPendingWriteBytes(256L << 20)
        .retention(new Retention(Duration.ofDays(3650), Duration.ofDays(3650),
            Duration.ofDays(3650)))
        .retentionCheckInterval(Duration.ofHours(1)).blockDuration(Duration.ofHours(2)).build();
  }

  static void disk(Path dir, int seriesCount, int hours, int jitterMs) throws Exception {
    StorageFigures.deleteTree(dir);
    Random r = new Random(42);
    List<ScrapeSeries> gens = new ArrayList<>();
    for (int i = 0; i < seriesCount; i++) {
      gens.add(new ScrapeSeries(i, r));
    }
    long t0 = System.currentTimeMillis() - hours * 3_600_000L;
    int rounds = (int) (hours * 3_600_000L / STEP);
    long samples = 0;
    long start = System.nanoTime();
    try (EmbeddedStorage storage = open(dir)) {
      for (int round = 0; round < rounds; round++) {
        List<TimeSeries> batch = new ArrayList<>(gens.size());
        for (ScrapeSeries g : gens) {
          long jitter = jitterMs == 0 ? 0 : r.nextInt(2 * jitterMs + 1) - jitterMs;
          batch.add(TimeSeries.of(g.labels, t0 + round * STEP + jitter, g.next(r)));
        }
        storage.metricWriter().write(batch).join();
        samples += batch.size();
      }
      double secs = (System.nanoTime() - start) / 1e9;
      storage.compactNow();
      long read = 0;
      for (Series s : storage.metricReader().select(List.of(), Long.MIN_VALUE, Long.MAX_VALUE)) {
        SampleIterator it = s.samples();
        while (it.next()) {
          read++;
        }
      }
      if (read != samples) {
        throw new AssertionError("read back " + read + " samples, wrote " + samples);
      }
      long sst = StorageFigures.size(dir.resolve("metrics"), ".sst");
      long all = StorageFigures.size(dir.resolve("metrics"), "");
      System.out.printf("metrics: %d series x %d h of 15 s scrapes, jitter ±%d ms: %d samples "
              + "written in %.0f s (%.0f/s), all read back%n", seriesCount, hours, jitterMs,
          samples, secs, samples / secs);
      System.out.printf("metrics: disk after compaction: %.3f B/sample (SST files; whole metrics "
          + "directory incl. WAL/manifest: %.3f B/sample)%n", sst / (double) samples,
          all / (double) samples);
    }
  }

  static void heap(Path dir, int n) throws Exception {
    StorageFigures.deleteTree(dir);
    Random r = new Random(3);
    try (EmbeddedStorage storage = open(dir)) {
      List<ScrapeSeries> gens = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        gens.add(new ScrapeSeries(i, r));
      }
      long t0 = System.currentTimeMillis() - 60 * STEP;
      long before = usedHeap();
      for (int round = 0; round < 60; round++) {
        List<TimeSeries> batch = new ArrayList<>(n);
        for (ScrapeSeries g : gens) {
          batch.add(TimeSeries.of(g.labels, t0 + round * STEP, g.next(r)));
        }
        storage.metricWriter().write(batch).join();
      }
      long after = usedHeap();
      System.out.printf("metrics: heap per active series: %.0f B (%d series, 60 samples each in "
          + "their head chunk, 5 labels)%n", (double) (after - before) / n, n);
    }
  }

  private static long usedHeap() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
