package dev.sextant.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Phase 2 of {@code load cluster}: stores of a fresh consumer group read the backlog phase 1 left
 * in the topics, from the beginning, until it is all applied. Each store's {@code /metrics} and
 * CPU are sampled every 250 ms (the lag printed once a second). Figures start at the first sample
 * where the group owns partitions (the assignment), so JVM start-up is not counted; a store's
 * figures end at the last sample where its records-applied counter moved.
 */
final class ClusterConsume {
  private static final long SAMPLE_MILLIS = 250;

  /** One store's share: spans-topic partitions it owned, records it applied, CPU and time. */
  record StoreRun(String name, int spanPartitions, long records, double cpuSeconds,
      double seconds) {

    double spans(double spansPerRecord) {
      return records * spansPerRecord;
    }

    double cpuMicrosPerSpan(double spansPerRecord) {
      return records == 0 ? Double.NaN : cpuSeconds * 1e6 / spans(spansPerRecord);
    }

    double spansPerSecond(double spansPerRecord) {
      return seconds <= 0 ? Double.NaN : spans(spansPerRecord) / seconds;
    }

    /** CPU-seconds per second of consuming: 1.0 is one core kept busy. */
    double cores() {
      return seconds <= 0 ? Double.NaN : cpuSeconds / seconds;
    }
  }

  /**
   * The phase on one group: the backlog in records (and spans per record, from phase 1's acked
   * spans), the time from the assignment until everything was applied, the broker's CPU over
   * that time, each store's share, and the lag of each store once a second.
   */
  record Outcome(String label, long backlogRecords, double spansPerRecord, double seconds,
      double brokerCpuSeconds, long recordsApplied, long recordsAtEnd, List<StoreRun> stores,
      List<String> lagLines) {

    /**
     * Records applied beyond what the topics held at the end: read twice because a partition
     * moved to a store that rebuilt it from the beginning. (The collector keeps producing a few
     * records of its own, its span metrics, so the backlog grows a little while it is read.)
     */
    long readTwice() {
      return Math.max(0, recordsApplied - recordsAtEnd);
    }

    /** Spans the stores applied from the assignment on (re-reads after a rebalance count). */
    double spansConsumed() {
      long records = 0;
      for (StoreRun r : stores) {
        records += r.records();
      }
      return records * spansPerRecord;
    }

    double spansPerSecond() {
      return spansConsumed() / seconds;
    }

    double brokerMicrosPerSpan() {
      return brokerCpuSeconds * 1e6 / spansConsumed();
    }
  }

  private ClusterConsume() {}

  static Outcome measure(String label, List<String> names, List<Servers.Sextant> stores,
      ClusterBroker kafka, long backlogRecords, double spansPerRecord, Duration timeout)
      throws Exception {
    int n = stores.size();
    long deadline = System.nanoTime() + timeout.toNanos();
    StoreSample[] base = null;
    StoreSample[] last = new StoreSample[n];
    StoreSample[] progress = new StoreSample[n];
    double broker0 = 0;
    long start = 0;
    long nextLagLine = 0;
    List<String> lagLines = new ArrayList<>();
    while (true) {
      StoreSample[] now = new StoreSample[n];
      long applied = 0;
      int owned = 0;
      boolean caughtUp = true;
      for (int i = 0; i < n; i++) {
        stores.get(i).process().checkAlive();
        now[i] = StoreSample.read(stores.get(i).http(), stores.get(i).process().pid());
        applied += now[i].applied();
        owned += now[i].ownedPartitions();
        caughtUp &= now[i].caughtUp();
        if (last[i] == null || now[i].applied() > last[i].applied()) {
          progress[i] = now[i];
        }
        last[i] = now[i];
      }
      if (base == null && owned > 0) {
        base = now.clone();
        progress = now.clone();
        start = now[0].atNanos();
        broker0 = ProcStats.cpuSeconds(kafka.pid());
        TracePhase.log(label + ": partitions assigned, consuming " + String.format("%,d",
            backlogRecords) + " records");
      }
      boolean done = base != null && applied >= backlogRecords && caughtUp;
      if (base != null && (now[0].atNanos() >= nextLagLine || done)) {
        nextLagLine = now[0].atNanos() + 1_000_000_000L;
        StringBuilder line = new StringBuilder(String.format("%6.1f s", (now[0].atNanos()
            - start) / 1e9));
        for (int i = 0; i < n; i++) {
          int spans = now[i].owned().getOrDefault(StoreSample.SPANS, 0);
          // Before a store's first poll of its partitions it knows no lag: "-", not 0.
          String lag = now[i].partitions(StoreSample.SPANS).size() < spans ? "-"
              : String.format("%,d", now[i].totalLag());
          line.append(String.format("  %s lag %s (%d spans partitions, %,d applied)",
              names.get(i), lag, spans, now[i].applied()));
        }
        lagLines.add(line.toString());
        TracePhase.log(label + " " + line);
      }
      if (done) {
        double broker = ProcStats.cpuSeconds(kafka.pid()) - broker0;
        long atEnd = kafka.records(ClusterBroker.TOPICS);
        List<StoreRun> runs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          runs.add(new StoreRun(names.get(i), now[i].owned().getOrDefault(StoreSample.SPANS, 0),
              progress[i].applied() - base[i].applied(),
              progress[i].cpuSeconds() - base[i].cpuSeconds(),
              (progress[i].atNanos() - base[i].atNanos()) / 1e9));
        }
        double seconds = (max(progress) - start) / 1e9;
        return new Outcome(label, backlogRecords, spansPerRecord, seconds, broker, applied, atEnd,
            runs, lagLines);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(label + ": backlog of " + backlogRecords
            + " records not consumed within " + timeout + " (applied " + applied + ")");
      }
      Thread.sleep(SAMPLE_MILLIS);
    }
  }

  private static long max(StoreSample[] samples) {
    long max = Long.MIN_VALUE;
    for (StoreSample s : samples) {
      max = Math.max(max, s.atNanos());
    }
    return max;
  }
}
