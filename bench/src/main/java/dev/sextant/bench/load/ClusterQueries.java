package dev.sextant.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Phase 3 of {@code load cluster}: the single node gets the very batches the collector
 * acknowledged in phase 1 (replayed flat out by as many clients, which also measures its own
 * ingest CPU per span); then the same 1,000-span traces and the same metric samples go to both
 * the collector and the single node, and trace by ID and a PromQL range query are timed through
 * the query node (over the three stores) and on the single node, once the stores hold it all.
 */
final class ClusterQueries {
  /** A rate over the counters, summed by route: touches every series on every store. */
  static final String RANGE_QUERY = "sum by (route) (rate(" + OtlpMetricsFeed.METRIC + "[2m]))";

  record Outcome(LoadResult replay, List<String> traceIds, Latencies traceQueryNode,
      Latencies traceSingle, Latencies rangeQueryNode, Latencies rangeSingle, int rangeSeries,
      int rangePoints, long catchUpMillis) {}

  private ClusterQueries() {}

  /** Sends phase 1's acknowledged requests to {@code single}, {@code clients} at a time. */
  static LoadResult replay(ClusterBenchSettings s, Queue<Object> sent, Servers.Sextant single)
      throws InterruptedException {
    long pid = single.process().pid();
    long self = ProcessHandle.current().pid();
    AtomicLong acked = new AtomicLong();
    AtomicLong rejected = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    Latencies latencies = new Latencies();
    double cpu0 = ProcStats.cpuSeconds(pid);
    double jit0 = ProcStats.jitCpuSeconds(pid);
    double client0 = ProcStats.cpuSeconds(self);
    long start = System.nanoTime();
    try (IngestTarget target = new OtlpGrpcTarget("127.0.0.1", single.grpcPort(), s.shape())) {
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < s.clients(); c++) {
        Thread t = new Thread(() -> {
          for (Object payload = sent.poll(); payload != null; payload = sent.poll()) {
            long t0 = System.nanoTime();
            try {
              long r = target.send(payload);
              latencies.add(System.nanoTime() - t0);
              rejected.addAndGet(r);
              acked.addAndGet(s.batchSize() - r);
            } catch (Exception e) {
              if (failed.getAndIncrement() == 0) {
                System.err.println("load: the single node refused a replayed request: " + e);
              }
            }
          }
        }, "load-replay-" + c);
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join();
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    LoadResult r = new LoadResult("replay  ", "single", 0, acked.get(), rejected.get(),
        failed.get(), seconds, ProcStats.cpuSeconds(pid) - cpu0,
        ProcStats.jitCpuSeconds(pid) - jit0, ProcStats.cpuSeconds(self) - client0,
        ProcStats.rssBytes(pid), latencies);
    TracePhase.log(r.summary());
    return r;
  }

  static Outcome run(ClusterBenchSettings s, LoadResult replay, Servers.Sextant collector,
      Servers.Sextant single, Servers.Sextant query) throws Exception {
    long[] range = OtlpMetricsFeed.send(s.metricSeries(), s.metricSpan(), s.metricStep(),
        List.of(collector.grpcPort(), single.grpcPort()));
    List<String> ids;
    try (IngestTarget both = new Both(
        new OtlpGrpcTarget("127.0.0.1", collector.grpcPort(), s.shape()),
        new OtlpGrpcTarget("127.0.0.1", single.grpcPort(), s.shape()))) {
      ids = TraceLookup.send(both, s.shape(), s.lookupTraces(), s.lookupSpans());
    }
    long from = range[0] + 120;
    long to = range[1];
    long step = s.metricStep().toSeconds();
    TracePhase.log(String.format("sent %d traces of %d spans and %,d samples to both; waiting "
        + "for the stores", ids.size(), s.lookupSpans(),
        (long) s.metricSeries() * ((range[1] - range[0]) / step + 1)));
    TraceLookup.Api queryApi = TraceLookup.sextant(query.http());
    TraceLookup.Api singleApi = TraceLookup.sextant(single.http());
    JsonNode expected = PromQueries.range(single.http(), RANGE_QUERY, from, to, step);
    int series = expected.path("data").path("result").size();
    int points = 0;
    for (JsonNode r : expected.path("data").path("result")) {
      points += r.path("values").size();
    }
    if (series != OtlpMetricsFeed.ROUTES || points == 0) {
      throw new IllegalStateException("the single node answered " + series + " series, "
          + points + " points for " + RANGE_QUERY + " (expected " + OtlpMetricsFeed.ROUTES
          + " series)");
    }
    long t0 = System.nanoTime();
    await(s, "query node: every trace whole and the range query equal to the single node's",
        () -> {
          for (String id : ids) {
            if (TraceLookup.spanCount(queryApi, id) != s.lookupSpans()) {
              return false;
            }
          }
          JsonNode got = PromQueries.range(query.http(), RANGE_QUERY, from, to, step);
          return sameValues(got.path("data").path("result"), expected.path("data").path("result"))
              && got.path("warnings").isEmpty();
        });
    long catchUp = (System.nanoTime() - t0) / 1_000_000;
    TracePhase.log("the query node answers as the single node (after " + catchUp + " ms)");
    Latencies traceQuery = TraceLookup.time("query node", queryApi, ids, s.lookupRounds());
    Latencies traceSingle = TraceLookup.time("single node", singleApi, ids, s.lookupRounds());
    Latencies rangeQuery = new Latencies();
    Latencies rangeSingle = new Latencies();
    for (int r = 0; r < s.queryRounds(); r++) {
      for (int k = 0; k < 2; k++) { // alternating which goes first
        boolean q = (r + k) % 2 == 0;
        long start = System.nanoTime();
        PromQueries.range(q ? query.http() : single.http(), RANGE_QUERY, from, to, step);
        (q ? rangeQuery : rangeSingle).add(System.nanoTime() - start);
      }
    }
    TracePhase.log(String.format("trace by ID p50 %.2f / %.2f ms, PromQL range p50 %.2f / %.2f "
        + "ms (query node / single node)", traceQuery.percentileMillis(50),
        traceSingle.percentileMillis(50), rangeQuery.percentileMillis(50),
        rangeSingle.percentileMillis(50)));
    return new Outcome(replay, ids, traceQuery, traceSingle, rangeQuery, rangeSingle, series,
        points, catchUp);
  }

  /** A check that may fail while the stores catch up. */
  interface Check {
    boolean ok() throws Exception;
  }

  /** Polls {@code check} every 250 ms until it holds; fails after the run's timeout. */
  static void await(ClusterBenchSettings s, String what, Check check) throws Exception {
    long deadline = System.nanoTime() + s.timeout().toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (check.ok()) {
          return;
        }
      } catch (RuntimeException e) {
        last = e;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("not reached within " + s.timeout() + ": " + what
        + (last != null ? " (last error: " + last.getMessage() + ")" : ""));
  }

  /**
   * Whether two range-query results hold the same series with the same points, values equal to
   * 1e-9 relative (the query node sums the stores' series in another order than the single node).
   */
  static boolean sameValues(JsonNode a, JsonNode b) {
    if (a.size() != b.size()) {
      return false;
    }
    Map<String, JsonNode> byLabels = new HashMap<>();
    for (JsonNode r : b) {
      byLabels.put(r.path("metric").toString(), r.path("values"));
    }
    for (JsonNode r : a) {
      JsonNode other = byLabels.get(r.path("metric").toString());
      JsonNode values = r.path("values");
      if (other == null || other.size() != values.size()) {
        return false;
      }
      for (int i = 0; i < values.size(); i++) {
        double x = Double.parseDouble(values.get(i).get(1).asText());
        double y = Double.parseDouble(other.get(i).get(1).asText());
        if (values.get(i).get(0).asDouble() != other.get(i).get(0).asDouble()
            || Math.abs(x - y) > 1e-9 * Math.max(1, Math.abs(y))) {
          return false;
        }
      }
    }
    return true;
  }

  /** Sends each request to both targets, the same encoded bytes. */
  private record Both(IngestTarget first, IngestTarget second) implements IngestTarget {
    @Override
    public String name() {
      return "collector and single node";
    }

    @Override
    public Object encode(SpanBatch batch) {
      return first.encode(batch);
    }

    @Override
    public long send(Object payload) throws Exception {
      return first.send(payload) + second.send(payload);
    }

    @Override
    public void close() {
      first.close();
      second.close();
    }
  }
}
