package dev.sextant.bench.storage;

import dev.sextant.storage.embedded.EmbeddedStorage;
import dev.sextant.storage.Retention;
import dev.sextant.storage.Span;
import dev.sextant.storage.SpanKind;
import dev.sextant.storage.Storage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Disk bytes per span and trace-by-ID latency. Span shape after the OpenTelemetry collector
 * testbed's realistic span: 10 string attributes whose keys and values are 20 characters, 5
 * services with 4 operations each, 1-500 ms durations. Assumption on values: each key takes one of
 * {@code valueCardinality} random 20-character values (100 by default), as attributes such as
 * {@code http.route} or {@code db.statement} repeat; a cardinality of 1,000,000 makes them
 * effectively unique.
 *
 * <p>The spans are spread over {@code blocks} two-hour blocks by a simulated clock, then every
 * block is compacted (what sealing does), and 20 traces of 1,000 spans, written at evenly spaced
 * moments, are read back by ID.
 */
final class SpanFigures {
  private static final long BLOCK_MILLIS = Duration.ofHours(2).toMillis();
  private static final int BIG_TRACES = 20;
  private static final int BIG_TRACE_SPANS = 1000;
  private static final String[] SERVICES = {"frontend", "checkout", "payment", "inventory", "mail"};
  private static final int OPS = 4;
  private static final int ATTRIBUTES = 10;
  // Batches written concurrently: group commit shares one fsync among them.
  private static final int IN_FLIGHT = 32;

  private final Path dir;
  private final long spans;
  private final int traceSize;
  private final String[][] values;
  private final String[] keys = new String[ATTRIBUTES];
  private final int blocks;
  private final Random random = new Random(42);
  private final AtomicLong clock;

  private boolean reuse;

  /** Measures an existing store written by an earlier run with the same flags: no writes. */
  SpanFigures reuse(boolean reuse) {
    this.reuse = reuse;
    return this;
  }

  SpanFigures(Path dir, long spans, int traceSize, int valueCardinality, int blocks) {
    this.dir = dir;
    this.spans = spans;
    this.traceSize = traceSize;
    this.blocks = blocks;
    long t0 = (System.currentTimeMillis() - blocks * BLOCK_MILLIS) / BLOCK_MILLIS * BLOCK_MILLIS;
    this.clock = new AtomicLong(t0);
    int pool = Math.min(valueCardinality, 100_000);
    values = new String[ATTRIBUTES][pool];
    for (int k = 0; k < ATTRIBUTES; k++) {
      keys[k] = String.format("attribute.key.%06d", k);
      for (int v = 0; v < pool; v++) {
        values[k][v] = randomText(20);
      }
    }
    this.valueCardinality = valueCardinality;
  }

  private final int valueCardinality;

  void run() throws Exception {
    if (!reuse) {
      StorageFigures.deleteTree(dir);
    }
    EmbeddedStorage storage = EmbeddedStorage.builder().dataDir(dir)
        .maxPendingWriteBytes(256L << 20)
        .retention(new Retention(Duration.ofDays(30), Duration.ofDays(30), Duration.ofDays(30)))
        .retentionCheckInterval(Duration.ofHours(1)).blockDuration(Duration.ofMillis(BLOCK_MILLIS))
        .clock(simulated(clock)).build();
    long t0 = clock.get();
    List<String> bigTraces = new ArrayList<>();
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    long written = 0;
    long nextBig = 0;
    long started = System.nanoTime();
    long lastReport = started;
    try {
      while (written < spans) {
        // The simulated clock walks through the blocks as the spans are written.
        clock.set(t0 + (long) ((double) written / spans * blocks * BLOCK_MILLIS));
        List<Span> batch = new ArrayList<>(1000);
        if (written >= nextBig && bigTraces.size() < BIG_TRACES) {
          String id = randomHex(32);
          bigTraces.add(id);
          addTrace(batch, id, BIG_TRACE_SPANS);
          nextBig += spans / BIG_TRACES;
        } else {
          while (batch.size() + traceSize <= 1000 && written + batch.size() < spans) {
            addTrace(batch, randomHex(32), traceSize);
          }
        }
        written += batch.size();
        if (reuse) { // the same random sequence gives the same trace IDs
          continue;
        }
        inFlight.acquire();
        CompletableFuture<Void> f = storage.spanConsumer().accept(batch);
        f.whenComplete((v, e) -> {
          inFlight.release();
          if (e != null) {
            System.err.println("write failed: " + e);
          }
        });
        if (System.nanoTime() - lastReport > 30_000_000_000L) {
          lastReport = System.nanoTime();
          System.out.printf("spans: %d written (%.0f/s)%n", written,
              written / ((lastReport - started) / 1e9));
        }
      }
      inFlight.acquire(IN_FLIGHT);
      inFlight.release(IN_FLIGHT);
      double secs = (System.nanoTime() - started) / 1e9;
      System.out.printf("spans: %s %d spans (%d-span traces, %d traces of %d, %d attributes of "
              + "20+20 chars, %d values per key) over %d blocks in %.0f s (%.0f spans/s)%n",
          reuse ? "replayed (no writes)" : "wrote", written, traceSize, BIG_TRACES, BIG_TRACE_SPANS, ATTRIBUTES, valueCardinality, blocks,
          secs, written / secs);
      if (!reuse) {
        long compactStart = System.nanoTime();
        storage.compactNow();
        System.out.printf("spans: compacted every block in %.0f s%n",
            (System.nanoTime() - compactStart) / 1e9);
      }
      printDisk(written);
      traceById(storage, bigTraces);
    } finally {
      storage.close();
    }
  }

  private void printDisk(long written) throws Exception {
    long rocksSst = StorageFigures.size(dir.resolve("traces"), ".sst");
    long rocksAll = StorageFigures.size(dir.resolve("traces"), "");
    long lucene = StorageFigures.size(dir.resolve("search"), "");
    System.out.printf("spans: disk after compaction: %.1f B/span = RocksDB SSTs %.1f B/span + "
            + "Lucene indexes %.1f B/span (whole trace directory incl. WAL/manifest: %.1f B/span)%n",
        (rocksSst + lucene) / (double) written, rocksSst / (double) written,
        lucene / (double) written, (rocksAll + lucene) / (double) written);
    Map<String, String> parts = new LinkedHashMap<>();
    StorageFigures.byExtension(dir.resolve("search")).forEach((ext, bytes) ->
        parts.put(ext, String.format("%.2f", bytes / (double) written)));
    System.out.println("spans: Lucene B/span by file type: " + parts);
  }

  private static void traceById(Storage storage, List<String> bigTraces) {
    Random r = new Random(7);
    for (int i = 0; i < 200; i++) { // warm-up: JIT, block cache
      storage.traceReader().getTrace(bigTraces.get(r.nextInt(bigTraces.size())));
    }
    int n = 2000;
    long[] nanos = new long[n];
    long[] cpu = new long[n];
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (int i = 0; i < n; i++) {
      String id = bigTraces.get(r.nextInt(bigTraces.size()));
      long c = mx.getCurrentThreadCpuTime();
      long t = System.nanoTime();
      int size = storage.traceReader().getTrace(id).size();
      nanos[i] = System.nanoTime() - t;
      cpu[i] = mx.getCurrentThreadCpuTime() - c;
      if (size != BIG_TRACE_SPANS) {
        throw new AssertionError("trace " + id + ": " + size + " spans, wrote " + BIG_TRACE_SPANS);
      }
    }
    Arrays.sort(nanos);
    System.out.printf("spans: trace by ID, %d-span traces, %d lookups: p50 %.2f ms, p99 %.2f ms, "
            + "max %.2f ms%n", BIG_TRACE_SPANS, n, nanos[n / 2] / 1e6, nanos[n * 99 / 100] / 1e6,
        nanos[n - 1] / 1e6);
    Arrays.sort(cpu);
    // Wall time includes waiting for a CPU on a shared machine; CPU time is the work itself.
    System.out.printf("spans: trace by ID, CPU time of the reading thread: p50 %.2f ms, "
        + "p99 %.2f ms (load average %.1f)%n", cpu[n / 2] / 1e6, cpu[n * 99 / 100] / 1e6,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  private void addTrace(List<Span> batch, String traceId, int size) {
    long start = clock.get() * 1_000_000L + random.nextInt(1_000_000_000);
    String root = randomHex(16);
    for (int i = 0; i < size; i++) {
      int svc = random.nextInt(SERVICES.length);
      Map<String, Object> attrs = new LinkedHashMap<>();
      for (int k = 0; k < ATTRIBUTES; k++) {
        attrs.put(keys[k], values[k][random.nextInt(values[k].length)]);
      }
      long spanStart = start + i * 100_000L;
      batch.add(Span.builder().traceId(traceId).spanId(i == 0 ? root : randomHex(16))
          .parentSpanId(i == 0 ? "" : root).serviceName(SERVICES[svc])
          .name(SERVICES[svc] + "/op" + random.nextInt(OPS))
          .kind(i == 0 ? SpanKind.SERVER : SpanKind.CLIENT)
          .startTimeUnixNano(spanStart)
          .endTimeUnixNano(spanStart + 1_000_000L + random.nextInt(499_000_000))
          .attributes(attrs).build());
    }
  }

  private String randomHex(int chars) {
    StringBuilder b = new StringBuilder(chars);
    for (int i = 0; i < chars; i++) {
      b.append(Character.forDigit(random.nextInt(16), 16));
    }
    return b.toString();
  }

  private String randomText(int chars) {
    StringBuilder b = new StringBuilder(chars);
    for (int i = 0; i < chars; i++) {
      b.append((char) ('a' + random.nextInt(26)));
    }
    return b.toString();
  }

  /** The simulated clock as the storage reads it: picks the block each span is written to. */
  private static Clock simulated(AtomicLong millis) {
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("withZone");
      }

      @Override
      public Instant instant() {
        return Instant.ofEpochMilli(millis.get());
      }

      @Override
      public long millis() {
        return millis.get();
      }
    };
  }
}
