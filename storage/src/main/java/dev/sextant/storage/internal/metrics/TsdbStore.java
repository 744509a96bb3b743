package dev.sextant.storage.internal.metrics;

import static java.util.Objects.requireNonNull;

import dev.sextant.storage.StorageException;
import dev.sextant.storage.metrics.AppendResult;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.MetricMetadata;
import dev.sextant.storage.metrics.MetricStore;
import dev.sextant.storage.metrics.SampleBatch;
import dev.sextant.storage.metrics.Series;
import dev.sextant.storage.metrics.SeriesLimits;
import dev.sextant.storage.metrics.TimeSeries;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jspecify.annotations.Nullable;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * The embedded {@link MetricStore}: series registry and postings in memory (rebuilt from the
 * {@code series} column family), sealed Gorilla chunks in RocksDB, open head chunks in memory
 * backed by raw samples in RocksDB. Use {@link MetricStore#open(Path)}; public only so the API
 * package can construct it.
 */
public final class TsdbStore implements MetricStore {
  /** Default samples per chunk before the head is cut. */
  public static final int CHUNK_SAMPLES = 120;
  /** Default longest time a chunk may span, in ms. */
  public static final long CHUNK_SPAN_MILLIS = 2 * 60 * 60 * 1000L;

  private final MetricDb db;
  private final SeriesRegistry registry;
  private final SampleWriter writer;
  private final MetadataTable metadata;
  private final SelectOrder order = new SelectOrder();
  // Reads and submits hold the read lock so close() never frees native handles under them.
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  private TsdbStore(MetricDb db, SeriesRegistry registry, SampleWriter writer,
      MetadataTable metadata) {
    this.db = db;
    this.registry = registry;
    this.writer = writer;
    this.metadata = metadata;
  }

  public static TsdbStore open(Path dir, int chunkSamples, long chunkSpanMillis,
                               long maxPendingBytes, boolean syncWrites) {
    return open(dir, chunkSamples, chunkSpanMillis, maxPendingBytes, syncWrites,
        2 * 3_600_000L);
  }

  public static TsdbStore open(Path dir, int chunkSamples, long chunkSpanMillis,
                               long maxPendingBytes, boolean syncWrites, long blockMillis) {
    return open(dir, chunkSamples, chunkSpanMillis, maxPendingBytes, syncWrites, blockMillis,
        SeriesLimits.UNLIMITED);
  }

  /**
   * Opens the store.
   *
   * @param blockMillis time span of a block of chunks (by sample time): the unit retention drops
   * @param limits applied to new series; series read back at open are kept even when over them
   */
  public static TsdbStore open(Path dir, int chunkSamples, long chunkSpanMillis,
                               long maxPendingBytes, boolean syncWrites, long blockMillis,
                               SeriesLimits limits) {
    requireNonNull(limits, "limits");
    MetricDb db = MetricDb.open(dir, blockMillis);
    try {
      SeriesRegistry registry = new SeriesRegistry();
      SampleWriter writer = new SampleWriter(db, registry, chunkSamples, chunkSpanMillis,
          maxPendingBytes, syncWrites, limits);
      Recovery.run(db, registry, writer, chunkSamples, chunkSpanMillis);
      MetadataTable metadata = MetadataTable.load(db.db);
      writer.start();
      return new TsdbStore(db, registry, writer, metadata);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  @Override
  public CompletableFuture<Void> write(List<TimeSeries> series) {
    return append(series).thenApply(unused -> null);
  }

  @Override
  public CompletableFuture<AppendResult> append(List<TimeSeries> series) {
    requireNonNull(series, "series");
    lifecycle.readLock().lock();
    try {
      if (closed) {
        return CompletableFuture.failedFuture(new StorageException("metric store is closed"));
      }
      return writer.submit(series);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /**
   * Appends by {@link dev.sextant.storage.metrics.SeriesRef}: a series this store stored before through the same reference
   * costs no label lookup.
   */
  @Override
  public CompletableFuture<AppendResult> append(SampleBatch batch) {
    requireNonNull(batch, "batch");
    lifecycle.readLock().lock();
    try {
      if (closed) {
        return CompletableFuture.failedFuture(new StorageException("metric store is closed"));
      }
      return writer.submit(batch);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** Kept in a bounded table; see {@link MetadataTable} for the bounds. */
  @Override
  public void writeMetadata(List<MetricMetadata> list) {
    requireNonNull(list, "list");
    lifecycle.readLock().lock();
    try {
      checkOpen();
      metadata.put(list, System.currentTimeMillis());
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public Map<String, List<MetricMetadata>> metadata(@Nullable String metric, int limit,
      int limitPerMetric) {
    lifecycle.readLock().lock();
    try {
      checkOpen();
      return metadata.get(metric, limit, limitPerMetric);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public List<Series> select(List<LabelMatcher> matchers, long minTime, long maxTime) {
    return select(matchers, minTime, maxTime, NO_CHECKPOINT);
  }

  @Override
  public List<Series> select(List<LabelMatcher> matchers, long minTime, long maxTime,
                             Runnable checkpoint) {
    requireNonNull(matchers, "matchers");
    requireNonNull(checkpoint, "checkpoint");
    if (minTime > maxTime) {
      return List.of();
    }
    lifecycle.readLock().lock();
    try {
      checkOpen();
      // Id order: chunk keys start with the id, so reading in id order walks each block's
      // data blocks forward (reading in label order jumps between them; each jump can miss the
      // block cache and decompress a data block). The result is put in label order at the end.
      long generation = registry.generation();
      List<MemSeries> all = registry.select(matchers, checkpoint);
      int[] picked = new int[all.size()];
      int n = 0;
      for (int i = 0; i < all.size(); i++) {
        MemSeries s = all.get(i);
        // Series whose time bounds overlap the range (a series may still have a gap there).
        if (s.minTime <= maxTime && s.maxTime >= minTime) {
          picked[n++] = i;
        }
      }
      int[] rank = null;
      if (n > 1 && generation == registry.generation()) {
        rank = order.get(matchers, generation, all.size());
        // Ranking sorts every candidate: worth it when most are in range (else sort those).
        if (rank == null && n * 2 >= all.size()) {
          rank = SelectOrder.rank(all);
          order.put(matchers, generation, rank);
        }
      }
      // Snapshot every head before opening the iterator (which pins a RocksDB snapshot): a
      // chunk cut after its head's snapshot is then either in the snapshot or visible on disk.
      List<List<Chunk>> heads = new ArrayList<>(n);
      for (int k = 0; k < n; k++) {
        heads.add(all.get(picked[k]).snapshot());
      }
      SelectedSeries[] byRank = rank == null ? null : new SelectedSeries[all.size()];
      List<Series> out = new ArrayList<>(n);
      List<RocksIterator> its = new ArrayList<>();
      db.blocksLock.readLock().lock();
      try {
        // Only the blocks overlapping the range are read; chunks never straddle blocks.
        for (ColumnFamilyHandle h : db.chunks(minTime, maxTime)) {
          its.add(db.db.newIterator(h));
        }
        for (int k = 0; k < n; k++) {
          if ((k & 1023) == 1023) {
            checkpoint.run();
          }
          MemSeries s = all.get(picked[k]);
          List<Chunk> chunks = readChunks(its, s.id, heads.get(k), minTime, maxTime);
          SelectedSeries selected = SelectedSeries.of(s.labels, chunks, minTime, maxTime);
          if (selected == null) {
            continue;
          }
          if (byRank != null) {
            byRank[rank[picked[k]]] = selected;
          } else {
            out.add(selected);
          }
        }
      } finally {
        for (RocksIterator it : its) {
          it.close();
        }
        db.blocksLock.readLock().unlock();
      }
      if (byRank == null) {
        out.sort((a, b) -> a.labels().compareTo(b.labels()));
      } else {
        for (SelectedSeries s : byRank) {
          if (s != null) {
            out.add(s);
          }
        }
      }
      return out;
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private static final Runnable NO_CHECKPOINT = () -> { };

  /** Stored chunks of the series from each block (oldest first), then its head snapshot. */
  private static List<Chunk> readChunks(List<RocksIterator> blocks, long id, List<Chunk> head,
                                        long minTime, long maxTime) {
    long floor = head.isEmpty() ? Long.MAX_VALUE : head.get(0).minTime();
    // In-memory chunks are in time order and never overlap: those in range are a run.
    int from = 0;
    while (from < head.size() && head.get(from).maxTime() < minTime) {
      from++;
    }
    int to = from;
    while (to < head.size() && head.get(to).minTime() <= maxTime) {
      to++;
    }
    // Stored chunks all end before the oldest in-memory chunk starts: when that start is at or
    // before the range, none of them can hold a sample in range (the common recent query).
    if (floor <= minTime) {
      return head.subList(from, to);
    }
    List<Chunk> out = new ArrayList<>(to - from + 2);
    for (RocksIterator it : blocks) {
      readStored(it, id, floor, minTime, maxTime, out);
    }
    out.addAll(head.subList(from, to));
    return out;
  }

  private static void readStored(RocksIterator it, long id, long floor, long minTime,
                                 long maxTime, List<Chunk> out) {
    byte[] start = Keys.sample(id, minTime);
    // Chunks of a series never overlap, so only the last one starting at or before minTime
    // can reach into the range.
    it.seekForPrev(start);
    if (!it.isValid() || Keys.id(it.key()) != id) {
      it.seek(start);
    }
    for (; it.isValid(); it.next()) {
      byte[] key = it.key();
      long cmin = Keys.time(key);
      if (Keys.id(key) != id || cmin > maxTime || cmin >= floor) {
        break;
      }
      Chunk c = Chunk.decode(cmin, it.value());
      if (c.maxTime() >= minTime) {
        out.add(c);
      }
      if (c.maxTime() >= maxTime) {
        break; // the next chunk starts after this one ends: past the range
      }
    }
  }

  @Override
  public Set<String> labelNames(List<LabelMatcher> matchers, long minTime, long maxTime) {
    requireNonNull(matchers, "matchers");
    Set<String> names = new TreeSet<>();
    for (MemSeries s : inRange(readSelect(matchers, null), minTime, maxTime)) {
      for (int i = 0; i < s.labels.size(); i++) {
        names.add(s.labels.name(i));
      }
    }
    return names;
  }

  @Override
  public Set<String> labelValues(String name, List<LabelMatcher> matchers, long minTime,
                                 long maxTime) {
    requireNonNull(name, "name");
    requireNonNull(matchers, "matchers");
    Set<String> values = new TreeSet<>();
    for (MemSeries s : inRange(readSelect(matchers, name), minTime, maxTime)) {
      values.add(s.labels.get(name));
    }
    return values;
  }

  private List<MemSeries> readSelect(List<LabelMatcher> matchers, String withName) {
    lifecycle.readLock().lock();
    try {
      checkOpen();
      return withName == null ? registry.select(matchers)
          : registry.selectWithName(withName, matchers);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** Series whose time bounds overlap the range (a series may still have a gap there). */
  private static List<MemSeries> inRange(List<MemSeries> all, long minTime, long maxTime) {
    List<MemSeries> out = new ArrayList<>(all.size());
    for (MemSeries s : all) {
      if (s.minTime <= maxTime && s.maxTime >= minTime) {
        out.add(s);
      }
    }
    return out;
  }

  @Override
  public void deleteBefore(long minTimeMillis) {
    onWriter(() -> {
      Retention.deleteBefore(db, registry, minTimeMillis);
      // Metadata of metrics nobody has reported since the cut-off goes with their samples.
      metadata.dropSeenBefore(minTimeMillis);
    });
  }

  /**
   * Seals the blocks that ended at or before {@code cutMillis}: compacts them (ZSTD) once. A
   * chunk written into a sealed block later (a backfilled series) is kept and readable; the block
   * is compacted again at the next call.
   */
  public void seal(long cutMillis) {
    onWriter(() -> {
      try {
        db.seal(cutMillis);
      } catch (RocksDBException e) {
        throw new StorageException("metric block sealing failed: " + e.getMessage(), e);
      }
    });
  }

  /** Names of every block, and of the sealed ones (tests). */
  List<List<String>> blocks() {
    return List.of(db.blockNames(), db.sealedBlocks());
  }

  /** Cuts every head into a stored chunk (benchmarks, tests, before a backup). */
  public void flushHeads() {
    onWriter(writer::flushHeads);
  }

  /** Samples currently in head chunks (tests). */
  long headSamples() {
    long[] n = {0};
    registry.forEach(s -> n[0] += s.headCount());
    return n[0];
  }

  /** Cuts heads idle for a chunk span now instead of at the next periodic scan (tests). */
  void cutIdleHeads() {
    onWriter(writer::cutIdleHeads);
  }

  /** Flushes memtables and compacts all column families. */
  public void compactDisk() {
    onWriter(db::compact);
  }

  @Override
  public void compactNow() {
    flushHeads();
    compactDisk();
  }

  private void onWriter(Runnable action) {
    lifecycle.readLock().lock();
    try {
      checkOpen();
      writer.runOnWriter(action);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public long seriesCount() {
    return registry.size();
  }

  @Override
  public long outOfOrderSamples() {
    return writer.outOfOrder.get();
  }

  @Override
  public long duplicateSamples() {
    return writer.duplicates.get();
  }

  private void checkOpen() {
    if (closed) {
      throw new StorageException("metric store is closed");
    }
  }

  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      lifecycle.writeLock().unlock();
    }
    // No reader or submitter is inside now, and none can enter: drain the queue, then close.
    writer.close();
    db.close();
  }
}
