package dev.sextant.bench.load;

/** What one load step measured. */
record LoadResult(String label, String target, double offeredSpansPerSecond, long spansAcked,
    long spansRejected, long failedRequests, double seconds, double serverCpuSeconds,
    double serverJitCpuSeconds, double clientCpuSeconds, long peakRssBytes, Latencies latencies) {

  double spansPerSecond() {
    return spansAcked / seconds;
  }

  double cpuMicrosPerSpan() {
    return spansAcked == 0 ? Double.NaN : serverCpuSeconds * 1e6 / spansAcked;
  }

  /** Server CPU per span without its JIT compiler threads (warm-up left out). */
  double cpuMicrosPerSpanWithoutJit() {
    return spansAcked == 0 ? Double.NaN
        : (serverCpuSeconds - serverJitCpuSeconds) * 1e6 / spansAcked;
  }

  double spansPerCpuSecond() {
    return serverCpuSeconds == 0 ? Double.NaN : spansAcked / serverCpuSeconds;
  }

  String summary() {
    return String.format("%s %-8s offered %s: %,.0f spans/s acked (%,d spans, %,d rejected, "
        + "%,d failed requests) in %.1f s; server CPU %.2f s = %.1f µs/span (%.1f without JIT; "
        + "load tool %.1f µs/span); ack p50 %.2f ms p99 %.2f ms; peak RSS %,d MiB",
        label, target, offeredSpansPerSecond <= 0 ? "flat out"
            : String.format("%,.0f/s", offeredSpansPerSecond),
        spansPerSecond(), spansAcked, spansRejected, failedRequests, seconds, serverCpuSeconds,
        cpuMicrosPerSpan(), cpuMicrosPerSpanWithoutJit(),
        clientCpuSeconds * 1e6 / Math.max(1, spansAcked),
        latencies.percentileMillis(50), latencies.percentileMillis(99),
        peakRssBytes >> 20);
  }
}
