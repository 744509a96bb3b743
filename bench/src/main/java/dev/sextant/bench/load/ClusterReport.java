package dev.sextant.bench.load;

import java.util.ArrayList;
import java.util.List;

/** Turns the four phases of {@code load cluster} into one table and the notes under it. */
final class ClusterReport {
  private ClusterReport() {}

  static String render(ClusterBenchSettings s, int cores, String pinning,
      ClusterIngest.Outcome in, ClusterConsume.Outcome one, ClusterConsume.Outcome three,
      ClusterQueries.Outcome q, ClusterFailover.Outcome f) {
    Table t = new Table();
    LoadResult flat = in.flat();
    LoadResult replay = q.replay();
    double spansPerRecord = one.spansPerRecord();
    t.section(String.format("1. ingest flat out through one collector, %d clients, %d s "
        + "(single node: the same requests replayed flat out)", s.clients(),
        s.ingest().toSeconds()));
    t.add("achieved spans/s", flat.spansPerSecond(), replay.spansPerSecond(), "%,.0f", "");
    t.add("collector CPU µs/span (decode + validate + produce) vs single node (… + store)",
        flat.cpuMicrosPerSpan(), replay.cpuMicrosPerSpan(), "%.1f", "");
    t.add("… without the JIT compiler threads", flat.cpuMicrosPerSpanWithoutJit(),
        replay.cpuMicrosPerSpanWithoutJit(), "%.1f", "");
    double brokerProduce = in.brokerCpuSeconds() * 1e6 / flat.spansAcked();
    clusterOnly(t, "broker CPU µs/span while the collector produced", brokerProduce, "%.1f",
        "reported apart");
    t.add("ack latency p50 ms", flat.latencies().percentileMillis(50),
        replay.latencies().percentileMillis(50), "%.2f", "collector: after Kafka's acks=all");
    t.add("ack latency p99 ms", flat.latencies().percentileMillis(99),
        replay.latencies().percentileMillis(99), "%.2f", "");
    t.addText("requests refused / spans rejected", flat.failedRequests() + " / "
        + flat.spansRejected(), replay.failedRequests() + " / " + replay.spansRejected(), "");
    t.add("load tool CPU µs/span", flat.clientCpuSeconds() * 1e6 / flat.spansAcked(),
        replay.clientCpuSeconds() * 1e6 / Math.max(1, replay.spansAcked()), "%.1f", "");

    ClusterConsume.StoreRun solo = one.stores().get(0);
    t.section(String.format("2a. one store (%s) consumes the backlog from the beginning",
        pinning.isEmpty() ? "not pinned" : "pinned: " + pinning));
    t.addText("backlog: spans / records in the topics", String.format("%,d / %,d (%.1f "
        + "spans per record)", in.spansAcked(), one.backlogRecords(), spansPerRecord), "", "");
    t.addText("partitions owned (spans topic)", "" + solo.spanPartitions(), "", "");
    clusterOnly(t, "time from assignment to lag 0, s", one.seconds(), "%.1f", "");
    clusterOnly(t, "spans/s consumed", one.spansPerSecond(), "%,.0f", "");
    clusterOnly(t, "store CPU µs/span", solo.cpuMicrosPerSpan(spansPerRecord), "%.1f", "");
    clusterOnly(t, "store cores busy (CPU-s per s)", solo.cores(), "%.2f", "");
    clusterOnly(t, "spans/s per core of the store", one.spansPerSecond() / solo.cores(), "%,.0f", "");
    clusterOnly(t, "broker CPU µs/span serving the fetches", one.brokerMicrosPerSpan(),
        "%.1f", "");
    double clusterCpu = flat.cpuMicrosPerSpan() + solo.cpuMicrosPerSpan(spansPerRecord);
    t.add("collector + store CPU µs/span vs the single node", clusterCpu,
        replay.cpuMicrosPerSpan(), "%.1f", String.format("+ broker %.1f",
            brokerProduce + one.brokerMicrosPerSpan()));

    t.section(String.format("2b. three stores (another group) consume the same backlog, %d "
        + "cores", cores));
    for (ClusterConsume.StoreRun r : three.stores()) {
      t.addText(r.name() + ": partitions / records / µs per span / spans/s / cores",
          String.format("%d / %,d / %.1f / %,.0f / %.2f", r.spanPartitions(), r.records(),
              r.cpuMicrosPerSpan(spansPerRecord), r.spansPerSecond(spansPerRecord), r.cores()),
          "", "");
    }
    t.add("time from assignment to lag 0, s", three.seconds(), one.seconds(), "%.1f",
        "second column: one store");
    t.add("spans/s consumed, all stores", three.spansPerSecond(), one.spansPerSecond(),
        "%,.0f", "second column: one store");
    clusterOnly(t, "records read twice (a partition moved in a rebalance and was rebuilt)",
        three.readTwice(), "%,.0f", "");
    t.add("broker CPU µs/span serving the fetches", three.brokerMicrosPerSpan(),
        one.brokerMicrosPerSpan(), "%.1f", "");

    t.section("3. queries: query node over the 3 stores vs the single node, same data");
    t.add(String.format("trace by ID p50 ms (%d-span traces, %d look-ups)", s.lookupSpans(),
        q.traceQueryNode().count()), q.traceQueryNode().percentileMillis(50),
        q.traceSingle().percentileMillis(50), "%.2f", "");
    t.add("trace by ID p99 ms", q.traceQueryNode().percentileMillis(99),
        q.traceSingle().percentileMillis(99), "%.2f", "");
    String range = "`" + ClusterQueries.RANGE_QUERY + "`";
    t.add(String.format("PromQL range %s p50 ms (%d series × %d points, %d runs)", range,
        q.rangeSeries(), q.rangePoints() / Math.max(1, q.rangeSeries()),
        q.rangeQueryNode().count()), q.rangeQueryNode().percentileMillis(50),
        q.rangeSingle().percentileMillis(50), "%.2f", "");
    t.add("PromQL range p99 ms", q.rangeQueryNode().percentileMillis(99),
        q.rangeSingle().percentileMillis(99), "%.2f", "");
    clusterOnly(t, "stores caught up with the traces and samples after, ms", q.catchUpMillis(),
        "%,.0f", "");

    t.section(String.format("4. failover: SIGKILL %s (%d spans partitions) under %,.0f "
        + "spans/s", f.victim(), f.victimPartitions(), s.failoverRate()));
    clusterOnly(t, "kill → survivors own every partition, s", f.ownedSeconds(), "%.2f",
        "session timeout 10 s + rebalance");
    clusterOnly(t, "kill → survivors' lag 0 (dead store's partitions rebuilt), s", f.lagSeconds(),
        "%.2f", "");
    clusterOnly(t, f.traceId() == null ? "kill → trace on a dead store's partition whole (no trace there)"
        : String.format("kill → trace on partition %d answers 200 through the query node, "
            + "whole, s", f.tracePartition()), f.traceSeconds(), "%.2f", "");
    t.addText("… warnings in that answer", f.traceWarnings().isEmpty() ? "none"
        : f.traceWarnings().size() + ": " + shorten(f.traceWarnings().get(0)), "",
        f.traceWarnings().isEmpty() ? "" : "the query node lists its stores statically "
            + "(`cluster.stores`) and warns about the dead one");
    t.addText("ingest during the failover: spans acked / requests failed / worst ack p99 ms",
        String.format("%,d / %d / %.1f", f.loadAcked(), f.loadFailed(), f.loadWorstP99Millis()),
        "", "");

    StringBuilder out = new StringBuilder();
    out.append("### Cluster: one broker, one collector, stores 1 → 3, a query node vs the single "
        + "node\n\n");
    out.append(t.render("cluster", "single node", "cluster ÷ single", "note")).append('\n');
    out.append("Lag of the three stores (records, sampled every second; condensed):\n\n```\n");
    for (String line : condensed(three.lagLines(), 12)) {
      out.append(line).append('\n');
    }
    out.append("```\n\n").append(projection(cores, pinning, one, three)).append("\n\n");
    long reread = three.readTwice();
    if (reread > three.backlogRecords() / 100) {
      out.append(String.format("**Note:** the three stores did not get their partitions at "
          + "once (a store that started late made the group rebalance, and its new partitions "
          + "were read again from the beginning: %,d records), so 2b's "
          + "figures include re-reads; on a quieter machine they start together.%n%n", reread));
    }
    out.append("Per-span store figures are per record × spans per record (").append(String
        .format("%.1f", spansPerRecord)).append(", the backlog's average), from each store's "
        + "`sextant_cluster_records_applied_total`; CPU is the process's utime + stime from "
        + "/proc, from the group's assignment to the store's last applied record.\n");
    return out.toString();
  }

  /** How the three stores' figures project to three stores with a core each, with numbers. */
  static String projection(int cores, String pinning, ClusterConsume.Outcome one,
      ClusterConsume.Outcome three) {
    double perRecord = one.spansPerRecord();
    ClusterConsume.StoreRun solo = one.stores().get(0);
    double busy = Math.min(1, solo.cores());
    StringBuilder sb = new StringBuilder();
    double projected = 0;
    StringBuilder terms = new StringBuilder();
    for (ClusterConsume.StoreRun r : three.stores()) {
      double rate = busy * 1e6 / r.cpuMicrosPerSpan(perRecord);
      projected += rate;
      terms.append(terms.length() == 0 ? "" : " + ").append(String.format("%,.0f", rate));
    }
    double brokerCore = 1e6 / three.brokerMicrosPerSpan();
    if (cores >= 4 && !pinning.isEmpty()) {
      sb.append(String.format("Each store had a core of its own: 1 → 3 stores measured "
          + "%,.0f → %,.0f spans/s (%.2f×).", one.spansPerSecond(), three.spansPerSecond(),
          three.spansPerSecond() / one.spansPerSecond()));
    } else {
      sb.append(String.format("**Projection to three stores with a core each.** This machine "
          + "has %d cores for the broker, the load tool and the three stores together, so the "
          + "three could not each have their own core: they consumed %,.0f spans/s together "
          + "(%.2f× the single store's %,.0f). Measured per store, one store on a core of its "
          + "own was busy %.2f of it and spent %.1f µs per span (%,.0f spans/s); the three "
          + "spent %s µs per span. A store with its own core busy as much would consume %s = "
          + "**%,.0f spans/s** for the three (%.2f× one store), each owning a third of the "
          + "partitions, as long as the broker keeps up: serving the fetches cost it %.1f µs "
          + "per span, so one broker core serves about %,.0f spans/s.", cores,
          three.spansPerSecond(), three.spansPerSecond() / one.spansPerSecond(),
          one.spansPerSecond(), solo.cores(), solo.cpuMicrosPerSpan(perRecord),
          one.spansPerSecond(), perStore(three, perRecord), terms, projected,
          projected / one.spansPerSecond(), three.brokerMicrosPerSpan(), brokerCore));
    }
    return sb.toString();
  }

  private static String perStore(ClusterConsume.Outcome three, double perRecord) {
    StringBuilder sb = new StringBuilder();
    for (ClusterConsume.StoreRun r : three.stores()) {
      sb.append(sb.length() == 0 ? "" : ", ").append(String.format("%.1f",
          r.cpuMicrosPerSpan(perRecord)));
    }
    return sb.toString();
  }

  /** A row of the cluster alone (no single-node figure to set beside it). */
  private static void clusterOnly(Table t, String figure, double value, String format, String note) {
    t.addText(figure, Double.isFinite(value) ? String.format(format, value) : "not reached",
        "", note);
  }

  /** A warning cut at its first parenthesis (the exception's details), for a table cell. */
  private static String shorten(String warning) {
    int cut = warning.indexOf(" (");
    return (cut > 0 ? warning.substring(0, cut) : warning).replace("|", "\\|");
  }

  /** At most {@code max} lines: evenly spaced, the first and the last kept. */
  static List<String> condensed(List<String> lines, int max) {
    if (lines.size() <= max) {
      return lines;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < max; i++) {
      out.add(lines.get((int) Math.round(i * (lines.size() - 1) / (double) (max - 1))));
    }
    return out;
  }
}
