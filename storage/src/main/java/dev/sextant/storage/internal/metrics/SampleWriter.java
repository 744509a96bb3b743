package dev.sextant.storage.internal.metrics;

import dev.sextant.storage.StorageException;
import dev.sextant.storage.metrics.AppendResult;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.SeriesLimits;
import dev.sextant.storage.metrics.TimeSeries;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single thread that mutates the store. It drains queued writes, merges them into one
 * RocksDB batch (new series records plus one {@link WalRecord} holding every sample of the group)
 * written with a synced WAL (group commit: one fsync for many requests), appends them to the
 * series' head chunks, completes the futures, then writes the chunks the heads cut in one
 * unsynced batch. WAL records older than the oldest sample still in a head are deleted every few
 * seconds, after the chunks that hold their samples: losing those writes in a crash loses
 * nothing, as the records stay and recovery skips samples already in chunks.
 *
 * <p>Maintenance (retention, flushing heads) runs on this thread too, between groups, so nothing
 * else ever races with a write.
 */
final class SampleWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SampleWriter.class);
  private static final int MAX_GROUP_SAMPLES = 256 * 1024;
  private static final long IDLE_SCAN_NANOS = 60_000_000_000L;
  private static final long TRUNCATE_NANOS = 5_000_000_000L;

  /** One submitted write; {@code refused} is filled on the writer thread. */
  private static final class Write {
    final List<TimeSeries> series;
    final int samples;
    final long bytes;
    final CompletableFuture<AppendResult> done = new CompletableFuture<>();
    final SeriesLimiter.Tally refused = new SeriesLimiter.Tally();

    Write(List<TimeSeries> series, int samples, long bytes) {
      this.series = series;
      this.samples = samples;
      this.bytes = bytes;
    }
  }

  private record Task(Runnable action, CompletableFuture<Void> done) {}

  private final MetricDb db;
  private final SeriesRegistry registry;
  private final SeriesLimiter limiter;
  private final int chunkSamples;
  private final long chunkSpan;
  private final long maxPendingBytes;
  private final WriteOptions walOptions;
  private final WriteOptions cutOptions = new WriteOptions();
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final AtomicLong pendingBytes = new AtomicLong();
  private final Thread thread;
  final AtomicLong outOfOrder = new AtomicLong();
  final AtomicLong duplicates = new AtomicLong();
  private final List<MemSeries.Cut> unwrittenCuts = new ArrayList<>();
  private volatile boolean closed;
  private long newestTime = Long.MIN_VALUE;
  private long lastIdleScan = System.nanoTime();
  private final WalRecord walRecord = new WalRecord();
  /** The next write group's WAL record key; records below {@code walFloor} are deleted. */
  private long nextSeq = 1;
  private long walFloor;
  private long groupSeq;
  private long lastTruncate = System.nanoTime();

  // Accepted samples of the current group, in parallel primitive arrays.
  private MemSeries[] accSeries = new MemSeries[1024];
  private long[] accTime = new long[1024];
  private long[] accBits = new long[1024];
  private int accCount;

  SampleWriter(MetricDb db, SeriesRegistry registry, int chunkSamples, long chunkSpan,
               long maxPendingBytes, boolean sync, SeriesLimits limits) {
    this.db = db;
    this.registry = registry;
    this.limiter = new SeriesLimiter(limits);
    this.chunkSamples = chunkSamples;
    this.chunkSpan = chunkSpan;
    this.maxPendingBytes = maxPendingBytes;
    this.walOptions = new WriteOptions().setSync(sync);
    this.thread = new Thread(this::run, "sextant-metrics-writer");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  CompletableFuture<AppendResult> submit(List<TimeSeries> series) {
    int samples = 0;
    long bytes = 0;
    for (TimeSeries ts : series) {
      if (ts.labels().size() == 0) {
        return CompletableFuture.failedFuture(new IllegalArgumentException(
            "labels: empty (expected: at least one label with a non-empty value)"));
      }
      samples += ts.timestamps().length;
      bytes += 64 + 16L * ts.timestamps().length + 32L * ts.labels().size();
    }
    if (closed) {
      return CompletableFuture.failedFuture(new StorageException("metric store is closed"));
    }
    if (samples == 0) {
      return CompletableFuture.completedFuture(AppendResult.ALL_ACCEPTED);
    }
    if (bytes > maxPendingBytes) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("series: about " + bytes
          + " bytes (expected: <= maxPendingBytes " + maxPendingBytes + "; split the request)"));
    }
    if (pendingBytes.addAndGet(bytes) > maxPendingBytes) {
      pendingBytes.addAndGet(-bytes);
      return CompletableFuture.failedFuture(new RejectedExecutionException(
          "metric write queue: over " + maxPendingBytes + " bytes pending (retry later)"));
    }
    Write w = new Write(List.copyOf(series), samples, bytes);
    queue.add(w);
    return w.done;
  }

  /** Runs {@code action} on the writer thread between groups and waits for it. */
  void runOnWriter(Runnable action) {
    if (closed) {
      throw new StorageException("metric store is closed");
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    queue.add(new Task(action, done));
    try {
      done.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private void run() {
    List<Write> group = new ArrayList<>();
    while (!closed || !queue.isEmpty()) {
      try {
        Object first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        if (first instanceof Task t) {
          runTask(t);
          continue;
        }
        Write w = (Write) first;
        group.add(w);
        int samples = w.samples;
        while (samples < MAX_GROUP_SAMPLES && queue.peek() instanceof Write next) {
          queue.poll();
          group.add(next);
          samples += next.samples;
        }
        writeGroup(group, samples);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        log.error("metric writer failed", e);
        for (Write w : group) {
          w.done.completeExceptionally(e);
        }
      } finally {
        group.clear();
      }
    }
    Object o;
    while ((o = queue.poll()) != null) {
      CompletableFuture<?> f = o instanceof Write w ? w.done : ((Task) o).done;
      f.completeExceptionally(new StorageException("metric store is closed"));
    }
  }

  private void runTask(Task t) {
    try {
      t.action.run();
      t.done.complete(null);
    } catch (RuntimeException e) {
      t.done.completeExceptionally(e);
    }
  }

  private void writeGroup(List<Write> group, int samples) {
    List<MemSeries> newRecords = new ArrayList<>();
    long[] dropped = new long[2]; // out of order, duplicates
    accCount = 0;
    Throwable failure = null;
    try {
      RawBatch batch = buildBatch(group, samples, newRecords, dropped);
      if (batch.count() > 0) {
        try (WriteBatch wb = new WriteBatch(batch.toBytes())) {
          db.db.write(walOptions, wb);
        }
      }
    } catch (RocksDBException | RuntimeException e) {
      log.error("metric write of {} samples failed", accCount, e);
      failure = e;
    }
    if (failure == null) {
      outOfOrder.addAndGet(dropped[0]);
      duplicates.addAndGet(dropped[1]);
      for (int i = 0; i < accCount; i++) {
        MemSeries.Cut c = accSeries[i].append(accTime[i], accBits[i], groupSeq, chunkSamples,
            chunkSpan, db.blockMillis);
        if (c != null) {
          unwrittenCuts.add(c);
        }
        newestTime = Math.max(newestTime, accTime[i]);
      }
    } else {
      // Nothing of the group is durable: forget what it accepted so a retry is accepted again.
      for (MemSeries s : newRecords) {
        s.persisted = false;
      }
      for (int i = 0; i < accCount; i++) {
        accSeries[i].acceptedMaxTime = accSeries[i].maxTime;
      }
    }
    Arrays.fill(accSeries, 0, accCount, null);
    for (Write w : group) {
      pendingBytes.addAndGet(-w.bytes);
      if (failure == null) {
        w.done.complete(w.refused.result());
      } else {
        w.done.completeExceptionally(
            new StorageException("metric write failed: " + failure.getMessage(), failure));
      }
    }
    long now = System.nanoTime();
    if (now - lastIdleScan > IDLE_SCAN_NANOS) {
      lastIdleScan = now;
      cutIdleHeads();
    }
    writeCuts();
  }

  /**
   * Filters the group's samples (out of order, duplicates) into one batch: new series records
   * and one WAL record of the samples.
   */
  private RawBatch buildBatch(List<Write> group, int samples, List<MemSeries> newRecords,
                              long[] dropped) {
    RawBatch batch = new RawBatch(samples * 14 + 256);
    int seriesCf = db.series.getID();
    walRecord.reset();
    for (Write w : group) {
      for (TimeSeries ts : w.series) {
        Labels labels = ts.labels();
        MemSeries s = registry.get(labels);
        if (s == null) {
          // Only here can the limits refuse: samples of existing series always flow.
          SeriesLimiter.Refusal refusal = limiter.check(labels, registry);
          if (refusal != null) {
            w.refused.add(refusal, labels, ts.timestamps().length);
            continue;
          }
          s = registry.create(labels);
        }
        if (!s.persisted) {
          batch.put(seriesCf, Keys.series(s.id), LabelsCodec.encode(s.labels));
          s.persisted = true;
          newRecords.add(s);
        }
        long newest = s.acceptedMaxTime;
        long[] times = ts.timestamps();
        double[] values = ts.values();
        for (int i = 0; i < times.length; i++) {
          long t = times[i];
          if (t < newest) {
            dropped[0]++;
          } else if (t == newest) {
            dropped[1]++;
          } else {
            long bits = Double.doubleToRawLongBits(values[i]);
            walRecord.add(s.id, t, bits);
            accept(s, t, bits);
            newest = t;
          }
        }
        s.acceptedMaxTime = newest;
      }
    }
    if (walRecord.count() > 0) {
      groupSeq = nextSeq++;
      batch.put(db.wal.getID(), Keys.series(groupSeq), walRecord.toBytes());
    }
    return batch;
  }

  /** Seeds the WAL sequence after recovery: records {@code [first, last]} exist. */
  void recoveredWal(long first, long last) {
    walFloor = first;
    nextSeq = Math.max(nextSeq, last + 1);
  }

  /**
   * Deletes the WAL records every sample of which is in a written chunk: those before the oldest
   * head's first sample. At most every few seconds unless {@code force}, as it visits every
   * series.
   */
  void truncateWal(boolean force) {
    long now = System.nanoTime();
    if (!force && now - lastTruncate < TRUNCATE_NANOS) {
      return;
    }
    lastTruncate = now;
    long[] min = {nextSeq};
    for (MemSeries.Cut c : unwrittenCuts) {
      min[0] = Math.min(min[0], c.seq());
    }
    registry.forEach(s -> min[0] = Math.min(min[0], s.headSeq));
    if (min[0] <= walFloor) {
      return;
    }
    try {
      db.db.deleteRange(db.wal, Keys.series(walFloor), Keys.series(min[0]));
      walFloor = min[0];
    } catch (RocksDBException e) {
      log.warn("truncating the metric WAL failed; will retry", e);
    }
  }

  /**
   * Cuts the heads of series that got no sample for a chunk span (relative to the newest sample
   * of any series), so churned series do not hold memory and raw samples forever.
   */
  void cutIdleHeads() {
    if (newestTime == Long.MIN_VALUE) {
      return;
    }
    long cutoff = newestTime - chunkSpan;
    registry.forEach(s -> {
      if (s.maxTime < cutoff) {
        MemSeries.Cut c = s.cutHead();
        if (c != null) {
          unwrittenCuts.add(c);
        }
      }
    });
    writeCuts();
  }

  /** Seeds the newest sample time after recovery. */
  void recovered(long newest) {
    newestTime = Math.max(newestTime, newest);
  }

  private void accept(MemSeries s, long t, long bits) {
    if (accCount == accTime.length) {
      int n = accCount * 2;
      accSeries = Arrays.copyOf(accSeries, n);
      accTime = Arrays.copyOf(accTime, n);
      accBits = Arrays.copyOf(accBits, n);
    }
    accSeries[accCount] = s;
    accTime[accCount] = t;
    accBits[accCount] = bits;
    accCount++;
  }

  /** Cuts every non-empty head into a chunk and writes it, then the WAL; writer thread only. */
  void flushHeads() {
    registry.forEach(s -> {
      MemSeries.Cut c = s.cutHead();
      if (c != null) {
        unwrittenCuts.add(c);
      }
    });
    writeCuts();
    truncateWal(true);
  }

  /** Adds a cut made outside a group (recovery); call {@link #writeCuts()} after. */
  void addCut(MemSeries.Cut c) {
    unwrittenCuts.add(c);
  }

  void writeCuts() {
    if (unwrittenCuts.isEmpty()) {
      return;
    }
    try (WriteBatch wb = new WriteBatch()) {
      for (MemSeries.Cut c : unwrittenCuts) {
        long id = c.series().id;
        wb.put(db.chunksFor(c.minTime()), Keys.sample(id, c.minTime()), c.value());
      }
      db.db.write(cutOptions, wb);
    } catch (RocksDBException | RuntimeException e) {
      // The WAL records are still there; keep the chunks in memory and retry with the next group.
      log.error("writing {} metric chunks failed; will retry", unwrittenCuts.size(), e);
      return;
    }
    for (MemSeries.Cut c : unwrittenCuts) {
      c.series().written(c.minTime());
    }
    unwrittenCuts.clear();
    truncateWal(false);
  }

  /** Stops accepting, writes what is queued, and waits for the writer thread. */
  @Override
  public void close() {
    closed = true;
    try {
      thread.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    walOptions.close();
    cutOptions.close();
  }
}
