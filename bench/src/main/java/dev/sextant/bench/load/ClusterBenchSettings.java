package dev.sextant.bench.load;

import java.nio.file.Path;
import java.time.Duration;

/** Everything a {@code load cluster} run needs, resolved from the command line. */
record ClusterBenchSettings(Path root, Path work, String mode, SpanShape shape, int clients,
    int batchSize, int spansPerTrace, Duration warmup, Duration ingest, int partitions,
    String heap, String brokerHeap, int lookupTraces, int lookupSpans, int lookupRounds,
    int metricSeries, Duration metricSpan, Duration metricStep, int queryRounds,
    double failoverRate, Duration timeout) {

  /** The settings as one line, printed with the table. */
  String describe() {
    return String.format("mode %s; %d clients × %d spans per request (traces of %d spans, "
        + "%d attributes); warm-up %d s, ingest %d s flat out; %d partitions per topic; heap %s "
        + "per Sextant node, %s for the broker; trace by ID: %d traces of %d spans × %d "
        + "rounds; PromQL: %d counter series, a sample every %d s over %d min, %d runs; "
        + "failover under %,.0f spans/s; waits up to %d s", mode, clients, batchSize,
        spansPerTrace, shape.attributes, warmup.toSeconds(), ingest.toSeconds(), partitions, heap,
        brokerHeap, lookupTraces, lookupSpans, lookupRounds, metricSeries, metricStep.toSeconds(),
        metricSpan.toMinutes(), queryRounds, failoverRate, timeout.toSeconds());
  }
}
