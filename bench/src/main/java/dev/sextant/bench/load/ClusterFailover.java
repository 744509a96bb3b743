package dev.sextant.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.cluster.Partitioning;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Phase 4 of {@code load cluster}: SIGKILL one of the three stores while a light load goes
 * through the collector, and time from the kill: until the survivors own every partition (their
 * {@code /health} {@code checks.consumer.partitions_owned}), until their lag is back to 0 (they
 * rebuild the dead store's partitions from the beginning of the topics), and until a 1,000-span
 * trace of a partition the dead store owned answers 200 through the query node, whole (with the
 * warnings that answer carried). The load's failed requests show whether ingest noticed.
 */
final class ClusterFailover {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration LOAD_STEP = Duration.ofSeconds(2);

  /**
   * Seconds from the kill to each step (NaN when not reached within the timeout), the warnings
   * the trace's first whole answer carried, and the light load's figures.
   */
  record Outcome(String victim, int victimPartitions, String traceId, int tracePartition,
      double ownedSeconds, double lagSeconds, double traceSeconds, List<String> traceWarnings,
      long loadAcked, long loadFailed, double loadWorstP99Millis) {}

  private ClusterFailover() {}

  static Outcome run(ClusterBenchSettings s, Servers.Sextant collector,
      List<Servers.Sextant> stores, List<String> names, Servers.Sextant query,
      List<String> traceIds) throws Exception {
    int victimIndex = 1;
    Servers.Sextant victim = stores.get(victimIndex);
    StoreSample before = StoreSample.read(victim.http(), victim.process().pid());
    var owned = before.partitions(StoreSample.SPANS);
    String traceId = null;
    int tracePartition = -1;
    for (String id : traceIds) {
      int p = Partitioning.partition(Partitioning.traceKey(id), s.partitions());
      if (owned.contains(p)) {
        traceId = id;
        tracePartition = p;
        break;
      }
    }
    List<Servers.Sextant> survivors = new ArrayList<>(stores);
    survivors.remove(victimIndex);
    TraceLookup.Api api = TraceLookup.sextant(query.http());

    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong acked = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    double[] worstP99 = {0};
    Thread load = new Thread(() -> {
      try (IngestTarget target = new OtlpGrpcTarget("127.0.0.1", collector.grpcPort(),
          s.shape())) {
        LoadDriver driver = new LoadDriver(target, s.shape(), collector.process().pid(), 2,
            s.batchSize(), s.spansPerTrace());
        while (!stop.get()) {
          LoadResult r = driver.run("light", s.failoverRate(), LOAD_STEP);
          acked.addAndGet(r.spansAcked());
          failed.addAndGet(r.failedRequests());
          worstP99[0] = Math.max(worstP99[0], r.latencies().percentileMillis(99));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "load-failover");
    load.start();
    double[] steps;
    List<String> warnings = new ArrayList<>();
    try {
      Thread.sleep(2 * LOAD_STEP.toMillis()); // the load running before the kill
      TracePhase.log("killing " + names.get(victimIndex) + " (SIGKILL, pid "
          + victim.process().pid() + "; it owned spans partitions " + owned + ")"
          + (traceId == null ? "; no looked-up trace is on them"
              : "; trace " + traceId + " is on partition " + tracePartition));
      long t0 = System.nanoTime();
      victim.process().kill();
      steps = watch(s, survivors, api, traceId, t0, warnings);
      for (Servers.Sextant st : survivors) {
        st.process().checkAlive();
      }
    } finally {
      stop.set(true);
      load.join();
    }
    return new Outcome(names.get(victimIndex), owned.size(), traceId, tracePartition, steps[0],
        steps[1], steps[2], warnings, acked.get(), failed.get(), worstP99[0]);
  }

  /**
   * Seconds from {@code t0} to: all partitions owned, lag 0, the trace whole (NaN: never); the
   * whole answer's warnings go to {@code warnings}. The query node lists its stores statically
   * ({@code cluster.stores}), so it may keep warning about the dead one: that is reported, not
   * waited for.
   */
  private static double[] watch(ClusterBenchSettings s, List<Servers.Sextant> survivors,
      TraceLookup.Api api, String traceId, long t0, List<String> warnings) throws Exception {
    double ownedAt = Double.NaN;
    double lagAt = Double.NaN;
    double traceAt = Double.NaN;
    int all = s.partitions() * 3;
    long deadline = t0 + s.timeout().toNanos();
    long nextLog = 0;
    while (System.nanoTime() < deadline && (Double.isNaN(ownedAt) || Double.isNaN(lagAt)
        || (traceId != null && Double.isNaN(traceAt)))) {
      double now = (System.nanoTime() - t0) / 1e9;
      if (Double.isNaN(ownedAt)) {
        int sum = 0;
        for (Servers.Sextant st : survivors) {
          Http.Response h = Http.get(st.http() + "/health");
          sum += JSON.readTree(h.body()).at("/checks/consumer/partitions_owned").asInt();
        }
        if (sum == all) {
          ownedAt = now;
          TracePhase.log(String.format("%.2f s after the kill: the survivors own all %d "
              + "partitions", now, all));
        }
      } else if (Double.isNaN(lagAt)) {
        boolean caughtUp = true;
        long lag = 0;
        for (Servers.Sextant st : survivors) {
          StoreSample sample = StoreSample.read(st.http(), st.process().pid());
          caughtUp &= sample.caughtUp();
          lag += sample.totalLag();
        }
        if (caughtUp) {
          lagAt = now;
          TracePhase.log(String.format("%.2f s after the kill: the survivors' lag is 0", now));
        } else if (System.nanoTime() >= nextLog) {
          nextLog = System.nanoTime() + 1_000_000_000L;
          TracePhase.log(String.format("%.2f s after the kill: survivors' lag %,d records%s",
              now, lag, lag == 0 ? " (not every new partition polled yet)" : ""));
        }
      }
      if (traceId != null && Double.isNaN(traceAt)) {
        Http.Response r = Http.get(api.traceUrl(traceId));
        if (r.status() == 200) {
          JsonNode body = JSON.readTree(r.body());
          if (body.path("spanCount").asInt() == s.lookupSpans()) {
            traceAt = now;
            body.path("warnings").forEach(w -> warnings.add(w.asText()));
            TracePhase.log(String.format("%.2f s after the kill: trace %s answers 200 whole, "
                + "warnings %s", now, traceId, warnings));
          }
        }
      }
      Thread.sleep(100);
    }
    return new double[] {ownedAt, lagAt, traceAt};
  }
}
