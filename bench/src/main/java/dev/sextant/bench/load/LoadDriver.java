package dev.sextant.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives an {@link IngestTarget} with {@code clients} concurrent clients, each sending one batch
 * at a time and waiting for its acknowledgement. At a fixed offered rate each client is paced on
 * its own schedule (a client that falls behind sends at once, so the achieved rate shows it);
 * at rate 0 they send flat out. Server CPU is the delta of the server process's utime + stime
 * over the run, RSS the highest {@code VmRSS} sampled every 250 ms.
 */
final class LoadDriver {
  private final IngestTarget target;
  private final SpanShape shape;
  private final long serverPid;
  private final int clients;
  private final int batchSize;
  private final int spansPerTrace;

  LoadDriver(IngestTarget target, SpanShape shape, long serverPid, int clients, int batchSize,
      int spansPerTrace) {
    if (clients <= 0) {
      throw new IllegalArgumentException("clients: " + clients + " (expected: > 0)");
    }
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batchSize: " + batchSize + " (expected: > 0)");
    }
    this.target = target;
    this.shape = shape;
    this.serverPid = serverPid;
    this.clients = clients;
    this.batchSize = batchSize;
    this.spansPerTrace = spansPerTrace;
  }

  /** Runs for {@code duration} at {@code spansPerSecond} offered (0 = flat out). */
  LoadResult run(String label, double spansPerSecond, Duration duration)
      throws InterruptedException {
    AtomicLong acked = new AtomicLong();
    AtomicLong rejected = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    Latencies latencies = new Latencies();
    long intervalNanos = spansPerSecond <= 0 ? 0
        : (long) (1e9 * clients * batchSize / spansPerSecond);
    long self = ProcessHandle.current().pid();
    double cpu0 = ProcStats.cpuSeconds(serverPid);
    double clientCpu0 = ProcStats.cpuSeconds(self);
    double jit0 = ProcStats.jitCpuSeconds(serverPid);
    long start = System.nanoTime();
    long deadline = start + duration.toNanos();
    long[] peakRss = {ProcStats.rssBytes(serverPid)};
    Thread rss = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        peakRss[0] = Math.max(peakRss[0], ProcStats.rssBytes(serverPid));
        LockSupport.parkNanos(250_000_000L);
        if (Thread.interrupted()) {
          return;
        }
      }
    }, "load-rss");
    rss.setDaemon(true);
    rss.start();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      long seed = c * 7919L + System.nanoTime();
      long offset = intervalNanos * c / clients; // spread clients over one interval
      Thread t = new Thread(() -> {
        SplittableRandom random = new SplittableRandom(seed);
        long next = start + offset;
        while (true) {
          Object payload = target.encode(SpanBatch.generate(shape, random, batchSize,
              spansPerTrace, System.currentTimeMillis() * 1_000_000L));
          if (intervalNanos > 0) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
              LockSupport.parkNanos(wait);
            }
            next += intervalNanos;
          }
          long t0 = System.nanoTime();
          if (t0 >= deadline) {
            return;
          }
          try {
            long r = target.send(payload);
            latencies.add(System.nanoTime() - t0);
            rejected.addAndGet(r);
            acked.addAndGet(batchSize - r);
          } catch (Exception e) {
            if (failed.getAndIncrement() == 0) {
              System.err.println("load: " + target.name() + " refused a request: " + e);
            }
            LockSupport.parkNanos(10_000_000L); // a refusal asks us to retry later
          }
        }
      }, "load-client-" + c);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpu = ProcStats.cpuSeconds(serverPid) - cpu0;
    double clientCpu = ProcStats.cpuSeconds(self) - clientCpu0;
    double jit = ProcStats.jitCpuSeconds(serverPid) - jit0;
    rss.interrupt();
    return new LoadResult(label, target.name(), spansPerSecond, acked.get(), rejected.get(),
        failed.get(), seconds, cpu, jit, clientCpu, peakRss[0], latencies);
  }
}
