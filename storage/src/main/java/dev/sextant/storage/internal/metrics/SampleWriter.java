package dev.sextant.storage.internal.metrics;

import dev.sextant.storage.internal.kv.BatchBuilder;
import dev.sextant.storage.internal.kv.GroupCommitWriter;
import dev.sextant.storage.metrics.AppendResult;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.SampleBatch;
import dev.sextant.storage.metrics.SeriesLimits;
import dev.sextant.storage.metrics.SeriesRef;
import dev.sextant.storage.metrics.TimeSeries;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metric store's side of the group-commit writer, whose single thread is the only one that
 * mutates the store. For each group of queued writes it builds one batch (new series records plus
 * one {@link WalRecord} holding every sample of the group), which the writer writes with a synced
 * WAL (one fsync for many requests); then it appends the samples to the series' head chunks
 * before the futures complete, and afterwards writes the chunks the heads cut in one unsynced
 * batch. WAL records older than the oldest sample still in a head are deleted every few seconds,
 * after the chunks that hold their samples: losing those writes in a crash loses nothing, as the
 * records stay and recovery skips samples already in chunks.
 *
 * <p>Maintenance (retention, flushing heads) runs on the writer thread too ({@link
 * #runOnWriter}), between groups, so nothing else ever races with a write.
 */
final class SampleWriter implements GroupCommitWriter.Committer<SampleWriter.Write>,
    AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SampleWriter.class);
  private static final int MAX_GROUP_SAMPLES = 256 * 1024;
  private static final long IDLE_SCAN_NANOS = 60_000_000_000L;
  private static final long TRUNCATE_NANOS = 5_000_000_000L;

  /**
   * One submitted write, of {@code series} or of {@code batch} (the other is null);
   * {@code refused} is filled on the writer thread.
   */
  static final class Write {
    final @Nullable List<TimeSeries> series;
    final @Nullable SampleBatch batch;
    final int samples;
    final SeriesLimiter.Tally refused = new SeriesLimiter.Tally();

    Write(List<TimeSeries> series, int samples) {
      this.series = series;
      this.batch = null;
      this.samples = samples;
    }

    Write(SampleBatch batch) {
      this.series = null;
      this.batch = batch;
      this.samples = batch.size();
    }
  }

  private final MetricDb db;
  private final SeriesRegistry registry;
  private final SeriesLimiter limiter;
  private final int chunkSamples;
  private final long chunkSpan;
  private final long maxPendingBytes;
  private final GroupCommitWriter<Write> writer;
  private final WriteOptions cutOptions = new WriteOptions();
  final AtomicLong outOfOrder = new AtomicLong();
  final AtomicLong duplicates = new AtomicLong();
  private final List<MemSeries.Cut> unwrittenCuts = new ArrayList<>();
  private long newestTime = Long.MIN_VALUE;
  private long lastIdleScan = System.nanoTime();
  private final WalRecord walRecord = new WalRecord();
  /** The next write group's WAL record key; records below {@code walFloor} are deleted. */
  private long nextSeq = 1;
  private long walFloor;
  private long groupSeq;
  private long lastTruncate = System.nanoTime();
  private final long[] dropped = new long[2]; // of the current group: out of order, duplicates
  private final List<MemSeries> newRecords = new ArrayList<>(); // of the current group

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
    this.writer = new GroupCommitWriter<>(db.db, "metrics", "metric store", this,
        maxPendingBytes, MAX_GROUP_SAMPLES, sync);
  }

  /** Starts the writer thread, once recovery has replayed the WAL. */
  void start() {
    writer.start();
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
      bytes += pendingBytes(1, ts.timestamps().length, ts.labels().size());
    }
    if (samples == 0) {
      return CompletableFuture.completedFuture(AppendResult.ALL_ACCEPTED);
    }
    if (bytes > maxPendingBytes) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("series: about " + bytes
          + " bytes (expected: <= maxPendingBytes " + maxPendingBytes + "; split the request)"));
    }
    return submit(new Write(List.copyOf(series), samples), bytes);
  }

  /** What a write of {@code series} series, {@code samples} and {@code labels} holds pending. */
  private static long pendingBytes(int series, long samples, long labels) {
    return 64L * series + 16L * samples + 32L * labels;
  }

  /**
   * Submits {@code batch}, sized as the same samples as one-sample series would be (so a batch
   * is refused as too large exactly when {@link SampleBatch#toTimeSeries()} would be).
   */
  CompletableFuture<AppendResult> submit(SampleBatch batch) {
    if (batch.size() == 0) {
      return CompletableFuture.completedFuture(AppendResult.ALL_ACCEPTED);
    }
    long bytes = pendingBytes(batch.size(), batch.size(), batch.labelCount());
    if (bytes > maxPendingBytes) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("series: about " + bytes
          + " bytes (expected: <= maxPendingBytes " + maxPendingBytes + "; split the request)"));
    }
    return submit(new Write(batch), bytes);
  }

  private CompletableFuture<AppendResult> submit(Write w, long bytes) {
    // Not thenApply: callers see the writer's exception itself, not wrapped.
    CompletableFuture<AppendResult> done = new CompletableFuture<>();
    writer.submit(w, bytes).whenComplete((v, e) -> {
      if (e != null) {
        done.completeExceptionally(e);
      } else {
        done.complete(w.refused.result());
      }
    });
    return done;
  }

  /** Runs {@code action} on the writer thread between groups and waits for it. */
  void runOnWriter(Runnable action) {
    writer.run(action);
  }

  @Override
  public long weight(Write write) {
    return write.samples;
  }

  @Override
  public BatchBuilder batch(List<Write> group) {
    newRecords.clear();
    dropped[0] = 0;
    dropped[1] = 0;
    accCount = 0;
    int samples = 0;
    for (Write w : group) {
      samples += w.samples;
    }
    return buildBatch(group, samples);
  }

  @Override
  public void written(List<Write> group, @Nullable Throwable failure) {
    try {
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
    } finally {
      Arrays.fill(accSeries, 0, accCount, null);
      newRecords.clear();
    }
  }

  @Override
  public void afterGroup() {
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
  private BatchBuilder buildBatch(List<Write> group, int samples) {
    BatchBuilder batch = new BatchBuilder(samples * 14 + 256);
    int seriesCf = db.series.getID();
    walRecord.reset();
    for (Write w : group) {
      if (w.batch != null) {
        addBatch(w, w.batch, batch, seriesCf);
        continue;
      }
      for (TimeSeries ts : w.series) {
        Labels labels = ts.labels();
        MemSeries s = series(w, labels, ts.timestamps().length, batch, seriesCf);
        if (s == null) {
          continue;
        }
        long[] times = ts.timestamps();
        double[] values = ts.values();
        for (int i = 0; i < times.length; i++) {
          appendSample(s, times[i], values[i]);
        }
      }
    }
    if (walRecord.count() > 0) {
      groupSeq = nextSeq++;
      batch.put(db.wal.getID(), Keys.series(groupSeq), walRecord.toBytes());
    }
    return batch;
  }

  /**
   * The samples of {@code b}, each as a one-sample series: a series whose reference is one of
   * this store's live series is used as it is, any other is looked up by its labels (and its
   * reference set for the next batch).
   */
  private void addBatch(Write w, SampleBatch b, BatchBuilder batch, int seriesCf) {
    for (int i = 0, n = b.size(); i < n; i++) {
      SeriesRef ref = b.ref(i);
      MemSeries s = ref.storeRef() instanceof MemSeries m && registry.holds(m) ? m : null;
      if (s == null) {
        s = series(w, ref.labels(), 1, batch, seriesCf);
        if (s == null) {
          continue;
        }
        ref.storeRef(s);
      } else if (!s.persisted) {
        persist(s, batch, seriesCf);
      }
      appendSample(s, b.time(i), b.value(i));
    }
  }

  /**
   * Appends one sample of {@code s} to the WAL record and the head, unless it is not newer than
   * the series' newest accepted sample: then it is counted as out of order or as a duplicate.
   */
  private void appendSample(MemSeries s, long t, double value) {
    long newest = s.acceptedMaxTime;
    if (t < newest) {
      dropped[0]++;
    } else if (t == newest) {
      dropped[1]++;
    } else {
      long bits = Double.doubleToRawLongBits(value);
      walRecord.add(s.id, t, bits);
      accept(s, t, bits);
      s.acceptedMaxTime = t;
    }
  }

  /**
   * The series of {@code labels}, created when new unless the limits refuse it (then counted
   * in {@code w}'s refusals with its {@code samples}, and null), its record put in
   * {@code batch} when not persisted yet.
   */
  private @Nullable MemSeries series(Write w, Labels labels, int samples, BatchBuilder batch,
      int seriesCf) {
    MemSeries s = registry.get(labels);
    if (s == null) {
      // Only here can the limits refuse: samples of existing series always flow.
      SeriesLimiter.Refusal refusal = limiter.check(labels, registry);
      if (refusal != null) {
        w.refused.add(refusal, labels, samples);
        return null;
      }
      s = registry.create(labels);
    }
    if (!s.persisted) {
      persist(s, batch, seriesCf);
    }
    return s;
  }

  private void persist(MemSeries s, BatchBuilder batch, int seriesCf) {
    batch.put(seriesCf, Keys.series(s.id), LabelsCodec.encode(s.labels));
    s.persisted = true;
    newRecords.add(s);
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
    List<MemSeries> idle = new ArrayList<>();
    registry.forEach(s -> {
      if (s.maxTime < cutoff) {
        idle.add(s);
        MemSeries.Cut c = s.cutHead();
        if (c != null) {
          unwrittenCuts.add(c);
        }
      }
    });
    writeCuts();
    // Their chunks stay readable from RocksDB; a chunk whose write failed becomes recent when
    // retried, and goes at the next scan.
    for (MemSeries s : idle) {
      s.dropRecent();
    }
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
    writer.close();
    cutOptions.close();
  }
}
