package dev.sextant.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Sextant and Prometheus scrape the same generated target at the same interval, side by side.
 * CPU per sample: each process's CPU over a window ÷ the samples it stored with timestamps in that
 * window ({@code count_over_time}). Bytes per sample: disk ÷ all samples stored — Prometheus
 * both live (WAL + head chunks) and as the persistent block a TSDB snapshot writes from the head;
 * Sextant both after a clean shutdown and after offline compaction (heads cut into chunks).
 */
final class MetricsPhase {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Index 0 is Sextant, 1 Prometheus, in every pair. */
  record Outcome(int series, long[] windowSamples, double[] windowCpu, long[] totalSamples,
      long[] rss, long sextantShutdownBytes, long sextantCompactedBytes, long promLiveBytes,
      long promSnapshotBytes, Map<String, Latencies[]> queries) {}

  private MetricsPhase() {}

  static Outcome run(Settings s) throws Exception {
    try (MetricsTarget target = new MetricsTarget(s.series(), s.scrapeInterval().toMillis())) {
      String interval = s.scrapeInterval().toMillis() + "ms";
      String sextantConfig = "scrapeConfigs:\n  - job_name: bench\n    scrape_interval: "
          + s.scrapeInterval().toSeconds() + "s\n    targets: [\"127.0.0.1:" + target.port()
          + "\"]\n";
      String promConfig = "global:\n  scrape_interval: " + interval + "\n  scrape_timeout: "
          + interval + "\nscrape_configs:\n  - job_name: bench\n    static_configs:\n"
          + "      - targets: [\"127.0.0.1:" + target.port() + "\"]\n";
      // Both start at once (start-ups are slow on a busy machine); each is stopped on any exit.
      CompletableFuture<Servers.Peer> promStart = CompletableFuture.supplyAsync(() -> {
        try {
          return Servers.prometheus(s.prometheus(), s.work().resolve("prometheus"), promConfig);
        } catch (Exception e) {
          throw new CompletionException(e);
        }
      });
      Servers.Sextant sextant = null;
      try {
        sextant = Servers.sextant(s.root(), s.work().resolve("sextant-metrics"), s.metricsHeap(),
            s.sextantJvmOptions(), sextantConfig);
        Servers.Peer prom = promStart.join();
        try {
          return measure(s, target, sextant, prom);
        } finally {
          prom.process().close();
        }
      } finally {
        promStart.whenComplete((p, e) -> {
          if (p != null) {
            p.process().close();
          }
        });
        if (sextant != null) {
          sextant.process().close();
        }
      }
    }
  }

  private static Outcome measure(Settings s, MetricsTarget target, Servers.Sextant sextant,
      Servers.Peer prom) throws Exception {
    long[] pids = {sextant.process().pid(), prom.process().pid()};
    String[] http = {sextant.http(), prom.http()};
    // Warm-up, not counted: the JIT compiles the scrape path in the first minute (on a 2-core
    // box its compiler threads were then 40 % of Sextant's CPU), a one-off per process start.
    long warmup = Math.max(2 * s.scrapeInterval().toMillis(), s.metricsWarmup().toMillis());
    TracePhase.log(String.format("scraping %,d series every %d s (Sextant pid %d with %s, "
        + "Prometheus pid %d): %d s of warm-up, then %d s measured", target.seriesCount(),
        s.scrapeInterval().toSeconds(), pids[0], heapText(s), pids[1], warmup / 1000,
        s.metricsWindow().toSeconds()));
    Thread.sleep(warmup);
    double[] cpu = {ProcStats.cpuSeconds(pids[0]), ProcStats.cpuSeconds(pids[1])};
    long t0 = System.currentTimeMillis();
    Thread.sleep(s.metricsWindow().toMillis());
    long t1 = System.currentTimeMillis();
    cpu[0] = ProcStats.cpuSeconds(pids[0]) - cpu[0];
    cpu[1] = ProcStats.cpuSeconds(pids[1]) - cpu[1];
    long[] rss = {ProcStats.rssBytes(pids[0]), ProcStats.rssBytes(pids[1])};
    double at = t1 / 1000.0;
    long range = (t1 - t0) / 1000;
    long[] window = {PromQueries.samples(http[0], "bench", range, at),
        PromQueries.samples(http[1], "bench", range, at)};
    TracePhase.log(String.format("window %d s: Sextant stored %,d samples with %.2f CPU-s, "
        + "Prometheus %,d samples with %.2f CPU-s (scrapes served so far: %s)", range, window[0],
        cpu[0], window[1], cpu[1], target.scrapesByAgent()));
    Map<String, Latencies[]> queries = timeQueries(s, http, at);
    long[] total = new long[2];
    total[1] = PromQueries.samples(http[1], "bench", 86_400, System.currentTimeMillis() / 1e3);
    long promLive = ProcStats.diskBytes(prom.dataDir()) - ProcStats.diskBytes(
        prom.dataDir().resolve("snapshots"));
    long snapshot = snapshot(prom);
    prom.process().close();
    total[0] = PromQueries.samples(http[0], "bench", 86_400, System.currentTimeMillis() / 1e3);
    sextant.process().close();
    long shutdown = ProcStats.diskBytes(sextant.dataDir());
    SextantCompaction.compact(sextant.dataDir());
    long compacted = ProcStats.diskBytes(sextant.dataDir());
    TracePhase.log(String.format("stored in total: Sextant %,d samples, %,d B after shutdown, "
        + "%,d B compacted; Prometheus %,d samples, %,d B live (WAL + head), %,d B as a block",
        total[0], shutdown, compacted, total[1], promLive, snapshot));
    return new Outcome(target.seriesCount(), window, cpu, total, rss, shutdown, compacted,
        promLive, snapshot, queries);
  }

  /** How Sextant's JVM was sized in this phase, for the log and the report. */
  static String heapText(Settings s) {
    return s.metricsHeap() == null
        ? "the launcher's JVM defaults (" + String.join(" ", Servers.LAUNCHER_JVM_OPTIONS) + ")"
        : "-Xmx" + s.metricsHeap() + " -Xms" + s.metricsHeap();
  }

  /**
   * Each query {@code queryRounds} times on both, alternating which goes first. A query that
   * fails on one side is logged and left out of that side's figures (the table shows n/a).
   */
  private static Map<String, Latencies[]> timeQueries(Settings s, String[] http, double at) {
    Map<String, Latencies[]> out = new LinkedHashMap<>();
    String[] names = {"Sextant", "Prometheus"};
    for (String q : PromQueries.QUERIES) {
      Latencies[] l = {new Latencies(), new Latencies()};
      out.put(q, l);
      int[] size = new int[2];
      boolean[] ok = new boolean[2];
      for (int i = 0; i < 2; i++) {
        try {
          size[i] = PromQueries.query(http[i], q, at).size();
          ok[i] = true;
        } catch (Exception e) {
          TracePhase.log("query failed on " + names[i] + ": " + e.getMessage());
        }
      }
      if (ok[0] && ok[1] && size[0] != size[1]) {
        TracePhase.log("note: " + q + " returned " + size[0] + " series on Sextant, " + size[1]
            + " on Prometheus");
      }
      for (int r = 0; r < s.queryRounds(); r++) {
        for (int k = 0; k < 2; k++) {
          int i = (r + k) % 2;
          if (!ok[i]) {
            continue;
          }
          try {
            long t0 = System.nanoTime();
            PromQueries.query(http[i], q, at);
            l[i].add(System.nanoTime() - t0);
          } catch (Exception e) {
            TracePhase.log("query failed on " + names[i] + ": " + e.getMessage());
            ok[i] = false;
          }
        }
      }
    }
    return out;
  }

  /** {@code POST /api/v1/admin/tsdb/snapshot}: the head written out as a persistent block. */
  private static long snapshot(Servers.Peer prom) throws Exception {
    Http.Response r = Http.post(prom.http() + "/api/v1/admin/tsdb/snapshot", "skip_head=false");
    if (r.status() != 200) {
      throw new IllegalStateException("prometheus snapshot failed: " + r.status() + " " + r.body());
    }
    String name = JSON.readTree(r.body()).path("data").path("name").asText();
    Path dir = prom.dataDir().resolve("snapshots").resolve(name);
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("prometheus snapshot " + dir + " missing");
    }
    return ProcStats.diskBytes(dir);
  }
}
