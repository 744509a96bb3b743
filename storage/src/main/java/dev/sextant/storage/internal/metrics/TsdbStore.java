package dev.sextant.storage.internal.metrics;

import static java.util.Objects.requireNonNull;

import dev.sextant.storage.StorageException;
import dev.sextant.storage.metrics.AppendResult;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.MetricMetadata;
import dev.sextant.storage.metrics.MetricStore;
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
      int size = all.size();
      // One pass over the series in range, each touched once: snapshot its in-memory chunks
      // and, when they reach back to minTime (the common recent query), select from them
      // alone. Every head is snapshot before an iterator is opened (it pins a RocksDB
      // snapshot): a chunk cut after its head's snapshot is then in the snapshot or on disk.
      int[] picked = new int[size];
      SelectedSeries[] got = new SelectedSeries[size];
      ChunkView[] toRead = null; // series that also need chunks from RocksDB
      int n = 0;
      for (int i = 0; i < size; i++) {
        if ((i & 1023) == 1023) {
          checkpoint.run();
        }
        MemSeries s = all.get(i);
        // Series whose time bounds overlap the range (a series may still have a gap there).
        if (s.minTime > maxTime || s.maxTime < minTime) {
          continue;
        }
        ChunkView head = s.snapshot();
        if (head.size() > 0 && head.minTime(0) <= minTime) {
          got[n] = SelectedSeries.of(s.labels, head, minTime, maxTime);
        } else {
          if (toRead == null) {
            toRead = new ChunkView[size];
          }
          toRead[n] = head;
        }
        picked[n++] = i;
      }
      if (toRead != null) {
        readStored(all, picked, toRead, got, n, minTime, maxTime, checkpoint);
      }
      int[] rank = null;
      if (n > 1 && generation == registry.generation()) {
        rank = order.get(matchers, generation, size);
        // Ranking sorts every candidate: worth it when most are in range (else sort those).
        if (rank == null && n * 2 >= size) {
          rank = SelectOrder.rank(all);
          order.put(matchers, generation, rank);
        }
      }
      if (rank == null) {
        List<Series> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
          if (got[k] != null) {
            out.add(got[k]);
          }
        }
        out.sort((a, b) -> a.labels().compareTo(b.labels()));
        return out;
      }
      SelectedSeries[] byRank = new SelectedSeries[size];
      // The rank of each series selected, in id order: the order in which to read them.
      int[] readRanks = new int[n];
      int selectedCount = 0;
      for (int k = 0; k < n; k++) {
        if (got[k] != null) {
          byRank[rank[picked[k]]] = got[k];
          readRanks[selectedCount++] = rank[picked[k]];
        }
      }
      return inRankOrder(byRank, readRanks, selectedCount);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private static final Runnable NO_CHECKPOINT = () -> { };

  /**
   * Selects the series {@code picked[k]} of {@code all} whose in-memory chunks
   * ({@code toRead[k]}, non-null) start after minTime, reading their older chunks from RocksDB.
   */
  private void readStored(List<MemSeries> all, int[] picked, ChunkView[] toRead,
      SelectedSeries[] got, int n, long minTime, long maxTime, Runnable checkpoint) {
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
        if (toRead[k] != null) {
          got[k] = selectOne(its, all.get(picked[k]), toRead[k], minTime, maxTime);
        }
      }
    } finally {
      for (RocksIterator it : its) {
        it.close();
      }
      db.blocksLock.readLock().unlock();
    }
  }

  /**
   * The selected series in label order (the non-null entries of {@code byRank}), with their id
   * order: {@code readRanks[0..n)} are their ranks in id order.
   */
  private static SelectedList inRankOrder(SelectedSeries[] byRank, int[] readRanks, int n) {
    Series[] series = new Series[n];
    // Ranks are positions among all candidates; some candidates had no sample in range.
    int[] position = n == byRank.length ? null : new int[byRank.length];
    int p = 0;
    for (int r = 0; r < byRank.length; r++) {
      if (byRank[r] != null) {
        if (position != null) {
          position[r] = p;
        }
        series[p++] = byRank[r];
      }
    }
    int[] order = new int[n];
    for (int k = 0; k < n; k++) {
      order[k] = position == null ? readRanks[k] : position[readRanks[k]];
    }
    return new SelectedList(series, order);
  }

  /**
   * The series over its stored chunks from each block (oldest first), then its in-memory ones
   * ({@code head}, starting after minTime) in range; null when none holds a sample in range.
   */
  private static @Nullable SelectedSeries selectOne(List<RocksIterator> blocks, MemSeries s,
      ChunkView head, long minTime, long maxTime) {
    long floor = head.size() == 0 ? Long.MAX_VALUE : head.minTime(0);
    List<Chunk> out = new ArrayList<>();
    for (RocksIterator it : blocks) {
      readStored(it, s.id, floor, minTime, maxTime, out);
    }
    for (int i = 0; i < head.size() && head.minTime(i) <= maxTime; i++) {
      out.add(head.get(i));
    }
    return SelectedSeries.of(s.labels, out.toArray(new Chunk[0]), minTime, maxTime);
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
