package dev.sextant.bench.jmh;

import dev.sextant.storage.embedded.EmbeddedMetricStore;
import com.sun.management.OperatingSystemMXBean;
import dev.sextant.collector.scrape.ScrapeLoop;
import dev.sextant.collector.scrape.ScrapedSample;
import dev.sextant.collector.scrape.TextFormatParser;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.MetricStore;
import dev.sextant.storage.metrics.SampleBatch;
import dev.sextant.storage.metrics.StaleMarker;
import dev.sextant.storage.metrics.TimeSeries;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One scrape of a 2,000-series exposition page (the load tool's target shape: counters, integer
 * and float gauges, classic histograms) through parse → labels → the metric store. Scores are
 * samples/s; each iteration also prints the process CPU (every thread: the store's writer, GC,
 * JIT) per sample, the figure that stays meaningful on a busy machine.
 * <ul>
 *   <li>{@code scrapeLoop}: {@link ScrapeLoop}, the scraper's path (series cached by their
 *       exposition bytes, appended to the store by series reference).</li>
 *   <li>{@code baseline}: the scraper's path before the cache, kept here to compare in the same
 *       run: parse the page to a String and samples, a TreeMap + Labels per sample for the
 *       target labels, a HashSet of labels for staleness.</li>
 *   <li>{@code *Only}: the same without the store (the scraper's own CPU).</li>
 * </ul>
 * Each call is the next scrape: values advance and the timestamp moves 15 s on the grid.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ScrapeBench {
  static final int SERIES = 2_000;
  static final int PAGES = 120;
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  @Param({"true"})
  boolean sync;

  Path dir;
  MetricStore store;
  byte[][] pages;
  int pageIndex;
  ScrapeLoop loop;
  Set<Labels> lastSeries = Set.of();
  long time = 1_700_000_000_000L;
  long cpuStart;
  long samplesStart;
  long samples;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("sextant-bench-scrape");
    store = EmbeddedMetricStore.builder(dir).syncWrites(sync).build();
    ExpositionPage page = new ExpositionPage(SERIES);
    pages = new byte[PAGES][];
    for (int i = 0; i < PAGES; i++) {
      pages[i] = page.next();
    }
    loop = ScrapeLoop.of("bench", "127.0.0.1:9100");
  }

  @Setup(Level.Iteration)
  public void startIteration() {
    cpuStart = OS.getProcessCpuTime();
    samplesStart = samples;
  }

  @TearDown(Level.Iteration)
  public void endIteration() {
    long cpu = OS.getProcessCpuTime() - cpuStart;
    long n = samples - samplesStart;
    if (n > 0) {
      System.out.printf("  [process CPU per sample: %.3f µs (%,d samples, %.2f CPU-s); "
          + "series in store %,d]%n", cpu / 1e3 / n, n, cpu / 1e9, store.seriesCount());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    store.close();
    Fixtures.deleteTree(dir);
  }

  @Benchmark
  @OperationsPerInvocation(SERIES)
  public void scrapeLoop() throws Exception {
    SampleBatch out = loop.scrapedSamples(nextPage(), false, time += 15_000, 0.01);
    store.append(out).join();
    samples += out.size();
  }

  @Benchmark
  @OperationsPerInvocation(SERIES)
  public int scrapeLoopOnly() throws Exception {
    SampleBatch out = loop.scrapedSamples(nextPage(), false, time += 15_000, 0.01);
    samples += out.size();
    return out.size();
  }

  @Benchmark
  @OperationsPerInvocation(SERIES)
  public void baseline() throws Exception {
    List<TimeSeries> out = baselineScrape(nextPage(), time += 15_000);
    store.write(out).join();
    samples += out.size();
  }

  @Benchmark
  @OperationsPerInvocation(SERIES)
  public int baselineOnly() throws Exception {
    List<TimeSeries> out = baselineScrape(nextPage(), time += 15_000);
    samples += out.size();
    return out.size();
  }

  /** Pages are rendered up front (their values then wrap around: a counter reset per lap). */
  private byte[] nextPage() {
    byte[] p = pages[pageIndex];
    pageIndex = (pageIndex + 1) % PAGES;
    return p;
  }

  /** The scraper before the series cache (collector at 2cd4245), for the same-run ratio. */
  private List<TimeSeries> baselineScrape(byte[] body, long now) throws Exception {
    List<ScrapedSample> parsed =
        TextFormatParser.parse(new String(body, StandardCharsets.UTF_8), false);
    List<TimeSeries> out = new ArrayList<>();
    Set<Labels> seen = new HashSet<>();
    for (ScrapedSample s : parsed) {
      Labels l = withTargetLabels(s.labels());
      if (seen.add(l)) {
        out.add(TimeSeries.of(l, s.timestampMillis() >= 0 ? s.timestampMillis() : now,
            s.value()));
      }
    }
    for (Labels gone : lastSeries) {
      if (!seen.contains(gone)) {
        out.add(TimeSeries.of(gone, now, StaleMarker.VALUE));
      }
    }
    lastSeries = seen;
    out.add(TimeSeries.of(meta("up"), now, 1));
    out.add(TimeSeries.of(meta("scrape_duration_seconds"), now, 0.01));
    out.add(TimeSeries.of(meta("scrape_samples_scraped"), now, parsed.size()));
    return out;
  }

  private static Labels meta(String name) {
    return Labels.of(Labels.NAME, name, "job", "bench", "instance", "127.0.0.1:9100");
  }

  private static Labels withTargetLabels(Labels scraped) {
    TreeMap<String, String> m = scraped.toMap();
    String job = m.remove("job");
    String instance = m.remove("instance");
    if (job != null) {
      m.put("exported_job", job);
    }
    if (instance != null) {
      m.put("exported_instance", instance);
    }
    m.put("job", "bench");
    m.put("instance", "127.0.0.1:9100");
    return Labels.of(m);
  }

  /** The load tool's target shape; {@link #next()} advances every value one tick. */
  static final class ExpositionPage {
    private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
    private final SplittableRandom random = new SplittableRandom(7);
    private final String[] names;
    private final double[] values;
    private final int[] kinds;

    ExpositionPage(int series) {
      names = new String[series];
      values = new double[series];
      kinds = new int[series];
      int histogramSeries = series * 3 / 10 / 13 * 13;
      int i = 0;
      for (int h = 0; i < histogramSeries; h++) {
        String l = "service=\"svc-" + h % 20 + "\",endpoint=\"/api/e" + h / 20 + "\"";
        for (int b = 0; b <= BUCKETS.length; b++) {
          String le = b < BUCKETS.length ? Double.toString(BUCKETS[b]) : "+Inf";
          kinds[i] = 0;
          names[i++] = "bench_latency_seconds_bucket{" + l + ",le=\"" + le + "\"} ";
        }
        kinds[i] = 3;
        names[i++] = "bench_latency_seconds_sum{" + l + "} ";
        kinds[i] = 0;
        names[i++] = "bench_latency_seconds_count{" + l + "} ";
      }
      for (int c = 0; i < series; c++) {
        int kind = c % 7 < 4 ? 0 : c % 7 < 6 ? 1 : 2;
        kinds[i] = kind;
        names[i++] = switch (kind) {
          case 0 -> "bench_requests_total{service=\"svc-" + c % 20 + "\",endpoint=\"/api/e"
              + c / 20 % 50 + "\",code=\"" + (200 + c / 1000) + "\"} ";
          case 1 -> "bench_memory_bytes{service=\"svc-" + c % 20 + "\",pod=\"pod-" + c / 20
              + "\"} ";
          default -> "bench_cpu_utilization{service=\"svc-" + c % 20 + "\",pod=\"pod-" + c / 20
              + "\"} ";
        };
        values[i - 1] = kind == 1 ? 100L << 20 : 0;
      }
    }

    byte[] next() {
      StringBuilder sb = new StringBuilder(names.length * 80);
      for (int i = 0; i < names.length; i++) {
        switch (kinds[i]) {
          case 0 -> values[i] += random.nextInt(4) == 0 ? 0 : random.nextInt(21);
          case 1 -> values[i] = Math.max(0, values[i] + (random.nextInt(257) - 128) * 4096L);
          case 2 -> values[i] = random.nextInt(1001) / 1000.0;
          default -> values[i] += random.nextDouble() * 3;
        }
        sb.append(names[i]);
        if (kinds[i] == 2 || kinds[i] == 3) {
          sb.append(values[i]);
        } else {
          sb.append((long) values[i]);
        }
        sb.append('\n');
      }
      return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
  }
}
