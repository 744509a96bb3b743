package dev.sextant.bench.load;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Phase 1 of {@code load cluster}: spans flat out over OTLP gRPC to one collector (the compare's
 * span shape and {@link LoadDriver}), a warm-up first. The collector's CPU comes from the driver,
 * the broker's is read around the measured step. Every acknowledged request is kept (the encoded
 * request, in memory) so phase 3 can send the very same batches to the single node.
 */
final class ClusterIngest {
  /** What the phase measured; {@code sent} holds every request the collector acknowledged. */
  record Outcome(LoadResult warmup, LoadResult flat, double brokerCpuSeconds,
      Queue<Object> sent) {

    long spansAcked() {
      return warmup.spansAcked() + flat.spansAcked();
    }
  }

  private ClusterIngest() {}

  static Outcome run(ClusterBenchSettings s, Servers.Sextant collector, ClusterBroker kafka)
      throws Exception {
    Queue<Object> sent = new ConcurrentLinkedQueue<>();
    try (IngestTarget target = new Recording(
        new OtlpGrpcTarget("127.0.0.1", collector.grpcPort(), s.shape()), sent)) {
      LoadDriver driver = new LoadDriver(target, s.shape(), collector.process().pid(),
          s.clients(), s.batchSize(), s.spansPerTrace());
      LoadResult warm = driver.run("warm-up ", 0, s.warmup());
      TracePhase.log(warm.summary());
      double broker0 = ProcStats.cpuSeconds(kafka.pid());
      LoadResult flat = driver.run("flat out", 0, s.ingest());
      double broker = ProcStats.cpuSeconds(kafka.pid()) - broker0;
      TracePhase.log(flat.summary());
      TracePhase.log(String.format("broker CPU %.2f s = %.1f µs/span while the collector "
          + "produced", broker, broker * 1e6 / flat.spansAcked()));
      collector.process().checkAlive();
      return new Outcome(warm, flat, broker, sent);
    }
  }

  /** Sends through {@code target} and keeps each request it acknowledged. */
  private record Recording(IngestTarget target, Queue<Object> sent) implements IngestTarget {
    @Override
    public String name() {
      return target.name();
    }

    @Override
    public Object encode(SpanBatch batch) {
      return target.encode(batch);
    }

    @Override
    public long send(Object payload) throws Exception {
      long rejected = target.send(payload);
      sent.add(payload);
      return rejected;
    }

    @Override
    public void close() {
      target.close();
    }
  }
}
