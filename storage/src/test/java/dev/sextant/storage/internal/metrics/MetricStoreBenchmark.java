package dev.sextant.storage.internal.metrics;

import dev.sextant.storage.embedded.EmbeddedMetricStore;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.MetricStore;
import dev.sextant.storage.metrics.SampleIterator;
import dev.sextant.storage.metrics.Series;
import dev.sextant.storage.metrics.TimeSeries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Disk bytes per sample and heap bytes per active series for 15 s scrape-like data. Not a test;
 * run by hand with arguments: directory, series, hours, timestamp jitter in ms (0 = aligned
 * scrapes, as Prometheus's timestamp tolerance produces), e.g.
 * {@code java -cp <test classpath> dev.sextant.storage.internal.metrics.MetricStoreBenchmark
 * /tmp/bench 2000 24 0}.
 *
 * <p>The series mix imitates an instrumented application plus node exporter (weights in
 * {@link Kind}): integer counters with various rates, histogram buckets (mostly idle counters),
 * histogram sums (float counters), integer gauges (random walks), constant gauges ({@code up},
 * info metrics), byte-size gauges and two-decimal gauges/counters (load, CPU seconds).
 */
public final class MetricStoreBenchmark {
  private static final long STEP = 15_000;
  private static final long T0 = 1_700_000_000_000L;

  enum Kind {
    COUNTER(25), BUCKET(35), FLOAT_SUM(3), INT_GAUGE(12), CONSTANT(12), BYTES(5), DECIMAL(8);

    final int weight;

    Kind(int weight) {
      this.weight = weight;
    }
  }

  private MetricStoreBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/sextant-metric-bench");
    int seriesCount = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    int hours = args.length > 2 ? Integer.parseInt(args[2]) : 24;
    int jitter = args.length > 3 ? Integer.parseInt(args[3]) : 0;
    codecByKind(jitter);
    deleteTree(dir);
    Random r = new Random(42);
    List<Gen> gens = new ArrayList<>();
    for (int i = 0; i < seriesCount; i++) {
      gens.add(new Gen(i, pick(r), r));
    }
    int rounds = (int) (hours * 3_600_000L / STEP);
    long samples = 0;
    long start = System.nanoTime();
    try (MetricStore store = EmbeddedMetricStore.builder(dir).syncWrites(false).build()) {
      for (int round = 0; round < rounds; round++) {
        List<TimeSeries> batch = new ArrayList<>(gens.size());
        for (Gen g : gens) {
          batch.add(TimeSeries.of(g.labels, time(round, jitter, r), g.next(r)));
        }
        store.write(batch).join();
        samples += batch.size();
      }
      double secs = (System.nanoTime() - start) / 1e9;
      store.compactNow();
      long sst = size(dir, ".sst");
      long total = size(dir, "");
      System.out.printf("store: series=%d hours=%d jitter=%dms samples=%d write=%.1fs (%.0f/s)%n",
          seriesCount, hours, jitter, samples, secs, samples / secs);
      long read = 0;
      long readStart = System.nanoTime();
      for (Series series : store.select(List.of(), Long.MIN_VALUE, Long.MAX_VALUE)) {
        SampleIterator it = series.samples();
        while (it.next()) {
          read++;
        }
      }
      if (read != samples) {
        throw new AssertionError("read back " + read + " samples, wrote " + samples);
      }
      System.out.printf("store: read back all %d samples in %.1fs%n", read,
          (System.nanoTime() - readStart) / 1e9);
      System.out.printf("store: SST files %d bytes = %.3f B/sample; whole directory %d bytes = "
          + "%.3f B/sample%n", sst, (double) sst / samples, total, (double) total / samples);
    }
    heapPerSeries(dir.resolveSibling(dir.getFileName() + "-heap"), r);
  }

  /** Encoded chunk bytes (+16 B key) per sample, per kind of series. */
  private static void codecByKind(int jitter) {
    Random r = new Random(7);
    for (Kind kind : Kind.values()) {
      long bytes = 0;
      long n = 0;
      for (int s = 0; s < 200; s++) {
        Gen g = new Gen(s, kind, r);
        GorillaAppender a = new GorillaAppender();
        for (int i = 0; i < 1440; i++) {
          if (a.count() == 120) {
            bytes += a.encode().length + 16;
            a.reset();
          }
          a.append(time(i, jitter, r), Double.doubleToRawLongBits(g.next(r)));
          n++;
        }
        bytes += a.encode().length + 16;
      }
      System.out.printf("codec: %-10s weight %2d%%  %.3f B/sample%n", kind, kind.weight,
          (double) bytes / n);
    }
  }

  private static long time(int round, int jitter, Random r) {
    return T0 + round * STEP + (jitter == 0 ? 0 : r.nextInt(2 * jitter + 1) - jitter);
  }

  /** Heap held per active series: registry, postings and a half-full head chunk. */
  private static void heapPerSeries(Path dir, Random r) throws Exception {
    deleteTree(dir);
    int n = 50_000;
    try (MetricStore store = EmbeddedMetricStore.builder(dir).syncWrites(false).build()) {
      List<Gen> gens = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        gens.add(new Gen(i, pick(r), r));
      }
      long before = usedHeap();
      for (int round = 0; round < 60; round++) {
        List<TimeSeries> batch = new ArrayList<>(n);
        for (Gen g : gens) {
          batch.add(TimeSeries.of(g.labels, T0 + round * STEP, g.next(r)));
        }
        store.write(batch).join();
      }
      long after = usedHeap();
      System.out.printf("heap: %d series, 60 samples each in the head: %.0f bytes/series%n", n,
          (double) (after - before) / n);
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

  private static Kind pick(Random r) {
    int x = r.nextInt(100);
    for (Kind k : Kind.values()) {
      if (x < k.weight) {
        return k;
      }
      x -= k.weight;
    }
    return Kind.CONSTANT;
  }

  /** One synthetic series and its value process. */
  private static final class Gen {
    final Labels labels;
    final Kind kind;
    final double rate;
    double value;

    Gen(int i, Kind kind, Random r) {
      this.kind = kind;
      labels = Labels.of("__name__", kind.name().toLowerCase(Locale.ROOT) + "_metric",
          "job", "job-" + (i % 20), "instance", "10.0." + (i / 250) + "." + (i % 250) + ":8080",
          "series", "s" + i);
      rate = new double[] {0, 0.2, 3, 40, 400}[r.nextInt(5)];
      value = switch (kind) {
        case INT_GAUGE -> 20 + r.nextInt(200);
        case CONSTANT -> 1;
        case BYTES -> 100_000_000 + r.nextInt(1 << 28);
        case DECIMAL -> r.nextInt(400) / 100.0;
        default -> r.nextInt(100_000);
      };
    }

    double next(Random r) {
      switch (kind) {
        case COUNTER -> value += Math.round(rate * (0.5 + r.nextDouble()));
        case BUCKET -> value += r.nextInt(10) < 3 ? Math.round(rate / 10 * r.nextDouble()) : 0;
        case FLOAT_SUM -> value += rate * r.nextDouble() * 0.05;
        case INT_GAUGE -> value += r.nextInt(4) == 0 ? r.nextInt(5) - 2 : 0;
        case CONSTANT -> { }
        case BYTES -> value += r.nextInt(3) == 0 ? (r.nextInt(2000) - 1000) * 4096 : 0;
        case DECIMAL -> value = Math.max(0, Math.round((value + r.nextGaussian() * 0.05) * 100)
            / 100.0);
        default -> throw new AssertionError(kind);
      }
      return value;
    }
  }

  private static long size(Path dir, String suffix) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(suffix))
          .mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
