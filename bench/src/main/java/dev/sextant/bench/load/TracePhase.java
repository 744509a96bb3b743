package dev.sextant.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Span ingest on one backend: warm-up (not counted), each fixed offered rate, flat out, then
 * trace-by-ID look-ups; for Sextant also the data directory after a clean shutdown and after
 * offline compaction.
 */
final class TracePhase {
  /** What the phase measured on one backend. */
  record Outcome(List<LoadResult> steps, Latencies lookup, long spansStored, double idleCores,
      long rssAfter,
      long diskAfterShutdown, long diskAfterCompaction, Map<String, Long> dirsAfterCompaction,
      Map<String, Long> columnFamilies) {

    LoadResult flatOut() {
      return steps.get(steps.size() - 1);
    }
  }

  /** Config of a Sextant under load: no scrape jobs, rate limits far above this machine. */
  static final String NO_RATE_LIMITS =
      "rateLimits:\n  default: { traces: { rate: 100000000, burst: 100000000 } }\n";

  private TracePhase() {}

  static Outcome sextant(Settings s) throws Exception {
    Path dir = s.work().resolve("sextant-traces");
    Servers.Sextant sextant =
        Servers.sextant(s.root(), dir, s.heap(), s.sextantJvmOptions(), NO_RATE_LIMITS);
    log("sextant started (pid " + sextant.process().pid() + ", gRPC :" + sextant.grpcPort()
        + ", HTTP :" + sextant.httpPort() + ")");
    Outcome partial;
    try (IngestTarget target = new OtlpGrpcTarget("127.0.0.1", sextant.grpcPort(), s.shape())) {
      partial = drive(s, target, sextant.process(), TraceLookup.sextant(sextant.http()));
    } finally {
      sextant.process().close();
    }
    long shutdown = ProcStats.diskBytes(sextant.dataDir());
    log("sextant stopped; data dir " + shutdown / 1024 + " KiB; compacting offline");
    Map<String, Long> cfs = SextantCompaction.compact(sextant.dataDir());
    Map<String, Long> dirs = new LinkedHashMap<>();
    try (var list = Files.list(sextant.dataDir())) {
      list.sorted().forEach(p -> dirs.put(p.getFileName().toString(), ProcStats.diskBytes(p)));
    }
    long compacted = ProcStats.diskBytes(sextant.dataDir());
    return new Outcome(partial.steps, partial.lookup, partial.spansStored, partial.idleCores,
        partial.rssAfter,
        shutdown, compacted, dirs, cfs);
  }

  static Outcome zipkin(Settings s) throws Exception {
    Path dir = s.work().resolve("zipkin");
    Servers.Peer zipkin = Servers.zipkin(s.zipkinJar(), dir, s.heap(), s.zipkinMaxSpans());
    log("zipkin started (pid " + zipkin.process().pid() + ", " + zipkin.http() + ")");
    try (IngestTarget target = new ZipkinHttpTarget("127.0.0.1",
        Integer.parseInt(zipkin.http().substring(zipkin.http().lastIndexOf(':') + 1)),
        s.shape())) {
      return drive(s, target, zipkin.process(), TraceLookup.zipkin(zipkin.http()));
    } finally {
      zipkin.process().close();
    }
  }

  private static Outcome drive(Settings s, IngestTarget target, ManagedProcess server,
      TraceLookup.Api api) throws Exception {
    LoadDriver driver = new LoadDriver(target, s.shape(), server.pid(), s.clients(),
        s.batchSize(), s.spansPerTrace());
    long stored = 0;
    LoadResult warm = driver.run("warm-up ", 0, s.warmup());
    stored += warm.spansAcked();
    log(warm.summary());
    List<LoadResult> steps = new ArrayList<>();
    for (double rate : s.rates()) {
      steps.add(driver.run("fixed   ", rate, s.fixedDuration()));
      log(steps.get(steps.size() - 1).summary());
    }
    steps.add(driver.run("flat out", 0, s.flatDuration()));
    log(steps.get(steps.size() - 1).summary());
    for (LoadResult r : steps) {
      stored += r.spansAcked();
      server.checkAlive();
    }
    Latencies lookup;
    try {
      lookup = TraceLookup.run(target, api, s.shape(), s.lookupTraces(), s.lookupSpans(),
          s.lookupRounds());
    } catch (RuntimeException e) {
      // Zipkin in memory can stop answering once its span store is full (GC): report it and
      // go on to the metrics phase instead of losing the whole run.
      lookup = new Latencies();
      lookup.fail(String.valueOf(e.getCause() != null ? e.getCause() : e));
      log(target.name() + " trace by ID failed: " + lookup.failure());
    }
    stored += (long) s.lookupTraces() * s.lookupSpans();
    log(String.format("%s trace by ID (%d-span traces, %,d spans stored): p50 %.2f ms, "
        + "p99 %.2f ms over %d look-ups", target.name(), s.lookupSpans(), stored,
        lookup.percentileMillis(50), lookup.percentileMillis(99), lookup.count()));
    // Background work (flushes, merges, timers) costs CPU with no load at all; at low rates it
    // weighs on the per-span figures, so it is shown on its own.
    double idle0 = ProcStats.cpuSeconds(server.pid());
    long idleStart = System.nanoTime();
    Thread.sleep(5_000);
    double idleCores = (ProcStats.cpuSeconds(server.pid()) - idle0)
        / ((System.nanoTime() - idleStart) / 1e9);
    long rss = ProcStats.rssBytes(server.pid());
    return new Outcome(steps, lookup, stored, idleCores, rss, 0, 0, Map.of(), Map.of());
  }

  static void log(String line) {
    System.out.printf("[%tT] %s%n", System.currentTimeMillis(), line);
  }
}
