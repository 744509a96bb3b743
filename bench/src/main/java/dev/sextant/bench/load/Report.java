package dev.sextant.bench.load;

import java.util.List;
import java.util.Map;

/** Turns the phases' outcomes into the two comparison tables and the notes under them. */
final class Report {
  private final Settings s;
  private final StringBuilder text = new StringBuilder();

  Report(Settings s) {
    this.s = s;
  }

  void traces(TracePhase.Outcome sx, TracePhase.Outcome zk) {
    Table t = new Table();
    for (int i = 0; i < sx.steps().size(); i++) {
      LoadResult a = sx.steps().get(i);
      LoadResult b = zk.steps().get(i);
      boolean flat = a.offeredSpansPerSecond() <= 0;
      t.section(flat ? "flat out, " + s.clients() + " clients"
          : String.format("offered %,.0f spans/s, %d clients", a.offeredSpansPerSecond(),
              s.clients()));
      t.add("achieved spans/s", a.spansPerSecond(), b.spansPerSecond(), "%,.0f", "");
      t.add("server CPU µs per span", a.cpuMicrosPerSpan(), b.cpuMicrosPerSpan(), "%.1f",
          verdict("≤ 15 µs", a.cpuMicrosPerSpan() <= 15));
      t.add("… without the JIT compiler threads", a.cpuMicrosPerSpanWithoutJit(),
          b.cpuMicrosPerSpanWithoutJit(), "%.1f", "");
      t.add("load tool CPU µs per span (client side)", a.clientCpuSeconds() * 1e6
          / a.spansAcked(), b.clientCpuSeconds() * 1e6 / b.spansAcked(), "%.1f", "");
      if (flat) {
        double ratio = a.spansPerCpuSecond() / b.spansPerCpuSecond();
        t.add("spans per server CPU-second", a.spansPerCpuSecond(), b.spansPerCpuSecond(),
            "%,.0f", verdict("≥ 1.5× Zipkin", ratio >= 1.5));
      }
      t.add("ack latency p50 ms", a.latencies().percentileMillis(50),
          b.latencies().percentileMillis(50), "%.2f", "");
      t.add("ack latency p99 ms", a.latencies().percentileMillis(99),
          b.latencies().percentileMillis(99), "%.2f", "");
      t.add("peak RSS MiB", a.peakRssBytes() / 1048576.0, b.peakRssBytes() / 1048576.0,
          "%,.0f", "");
      t.addText("requests refused / spans rejected", a.failedRequests() + " / "
          + a.spansRejected(), b.failedRequests() + " / " + b.spansRejected(), "");
    }
    t.section(String.format("trace by ID, %d-span traces, %d look-ups", s.lookupSpans(),
        sx.lookup().count()));
    t.add("spans sent before the look-ups", sx.spansStored(), zk.spansStored(), "%,.0f",
        "target is with ≥ 5 M stored");
    t.add("trace by ID p50 ms", sx.lookup().percentileMillis(50),
        zk.lookup().percentileMillis(50), "%.2f", "");
    t.add("trace by ID p99 ms", sx.lookup().percentileMillis(99),
        zk.lookup().percentileMillis(99), "%.2f",
        verdict("≤ 10 ms", sx.lookup().percentileMillis(99) <= 10));
    for (Latencies l : List.of(sx.lookup(), zk.lookup())) {
      if (l.failure() != null) {
        t.addText("trace by ID failed", l == sx.lookup() ? l.failure() : "",
            l == zk.lookup() ? l.failure() : "", "");
      }
    }
    t.section("storage");
    t.addText("disk B/span after clean shutdown",
        String.format("%.1f", (double) sx.diskAfterShutdown() / sx.spansStored()),
        "in memory", "");
    t.addText("disk B/span after full compaction",
        String.format("%.1f", (double) sx.diskAfterCompaction() / sx.spansStored()),
        "in memory", verdict("≤ 60 B (issue 4)",
            (double) sx.diskAfterCompaction() / sx.spansStored() <= 60));
    t.add("server CPU when idle afterwards, % of a core", sx.idleCores() * 100,
        zk.idleCores() * 100, "%.1f", "");
    t.add("RSS after the run MiB", sx.rssAfter() / 1048576.0, zk.rssAfter() / 1048576.0,
        "%,.0f", "");
    text.append("### Spans: Sextant vs Zipkin 3.6.1 (in-memory storage)\n\n")
        .append(t.render("Zipkin")).append('\n');
    text.append(String.format("Span shape: %d string attributes (20-character keys and values, "
        + "%d values per key), %d services × %d operations, traces of %d spans, %d spans per "
        + "request; Sextant over OTLP gRPC, Zipkin over HTTP proto3. Heap %s each. Zipkin keeps "
        + "at most %,d spans.%n%n", s.shape().attributes, s.shape().valueCardinality,
        s.shape().services, s.shape().operationsPerService, s.spansPerTrace(), s.batchSize(),
        s.heap(), s.zipkinMaxSpans()));
    text.append("Sextant data dir after compaction, by directory:");
    appendSizes(sx.dirsAfterCompaction(), sx.spansStored());
    text.append("\nRocksDB column families (SST bytes after compaction):");
    appendSizes(sx.columnFamilies(), sx.spansStored());
    text.append("\n\n");
  }

  void metrics(MetricsPhase.Outcome m) {
    Table t = new Table();
    t.section(String.format("%,d series scraped every %d s, %d s window", m.series(),
        s.scrapeInterval().toSeconds(), s.metricsWindow().toSeconds()));
    t.add("samples stored in the window", m.windowSamples()[0], m.windowSamples()[1], "%,.0f",
        "");
    double[] cpuPerSample = {m.windowCpu()[0] * 1e6 / m.windowSamples()[0],
        m.windowCpu()[1] * 1e6 / m.windowSamples()[1]};
    t.add("CPU µs per sample", cpuPerSample[0], cpuPerSample[1], "%.2f",
        verdict("≤ Prometheus", cpuPerSample[0] <= cpuPerSample[1]));
    t.add("CPU-seconds in the window", m.windowCpu()[0], m.windowCpu()[1], "%.2f", "");
    t.add("samples stored in total", m.totalSamples()[0], m.totalSamples()[1], "%,.0f", "");
    double[] live = {(double) m.sextantShutdownBytes() / m.totalSamples()[0],
        (double) m.promLiveBytes() / m.totalSamples()[1]};
    double[] compacted = {(double) m.sextantCompactedBytes() / m.totalSamples()[0],
        (double) m.promSnapshotBytes() / m.totalSamples()[1]};
    t.add("disk B/sample as written (Sextant: after shutdown; Prometheus: WAL + head chunks)",
        live[0], live[1], "%.2f", "");
    t.add("disk B/sample compacted (Sextant: heads cut + compaction; Prometheus: snapshot block)",
        compacted[0], compacted[1], "%.2f",
        verdict("≤ 1.3 B and < Prometheus", compacted[0] <= 1.3 && compacted[0] < compacted[1]));
    t.add("RSS MiB", m.rss()[0] / 1048576.0, m.rss()[1] / 1048576.0, "%,.0f", "");
    t.section(s.queryRounds() + " runs of each query, /api/v1/query");
    for (Map.Entry<String, Latencies[]> e : m.queries().entrySet()) {
      Latencies[] l = e.getValue();
      String q = "`" + e.getKey().replace("|", "\\|") + "`";
      t.add(q + " p50 ms", l[0].percentileMillis(50), l[1].percentileMillis(50), "%.2f",
          verdict("≤ Prometheus", l[0].percentileMillis(50) <= l[1].percentileMillis(50)));
      t.add(q + " p99 ms", l[0].percentileMillis(99), l[1].percentileMillis(99), "%.2f", "");
    }
    text.append("### Metrics: Sextant vs Prometheus 2.42 scraping the same target\n\n")
        .append(t.render("Prometheus")).append('\n');
    text.append("Sextant's JVM in this phase: ").append(MetricsPhase.heapText(s)).append(
        String.format(". Both scraped for %d s before the window (JIT warm-up, not counted).%n%n",
            Math.max(2 * s.scrapeInterval().toSeconds(), s.metricsWarmup().toSeconds())));
  }

  private void appendSizes(Map<String, Long> sizes, long spans) {
    for (Map.Entry<String, Long> e : sizes.entrySet()) {
      text.append(String.format(" %s %,d B (%.1f B/span);", e.getKey(), e.getValue(),
          (double) e.getValue() / spans));
    }
  }

  private static String verdict(String target, boolean met) {
    return target + (met ? " ✓" : " ✗");
  }

  String render() {
    return text.toString();
  }
}
