package dev.sextant.storage.internal.logs;

import static java.util.Objects.requireNonNull;

import dev.sextant.storage.LogConsumer;
import dev.sextant.storage.LogPage;
import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogReader;
import dev.sextant.storage.LogRecord;
import dev.sextant.storage.SourcePositions;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.UnindexedRecords;
import dev.sextant.storage.internal.index.IndexDirs;
import dev.sextant.storage.internal.index.LuceneIndex;
import dev.sextant.storage.internal.kv.BatchBuilder;
import dev.sextant.storage.internal.kv.Block;
import dev.sextant.storage.internal.kv.ByteWriter;
import dev.sextant.storage.internal.kv.GroupCommitWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.search.TotalHits.Relation;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log records in their own RocksDB, searchable through Lucene (full text on the body, keyword
 * filters, time), both partitioned in blocks of record time: each block has its own column family
 * and index directory ({@code index/<block>}). Searches read only the blocks overlapping their
 * time range; retention drops whole blocks; a block is sealed (compacted with ZSTD, its index
 * merged into one segment) once it ended more than a grace period ago. A record arriving later for
 * a sealed block is stored and indexed as any other and unseals the block until the next sealing
 * pass compacts it again.
 *
 * <p>Write: the records and one pending-index entry per record go to RocksDB in one synced batch
 * (group commit); then the records are added to their blocks' indexes; then the future completes.
 * So an acknowledged record is searchable at once.
 *
 * <p>Crash recovery: each block index commit records the sequence number below which every record
 * is in the commit; pending entries are dropped up to the lowest such number any block may still
 * need. On open, each block's pending entries above its committed watermark are re-indexed (after
 * deleting any of their documents that made it into the commit, so none is doubled); a block
 * index without any commit (new or lost) is rebuilt from the block's records.
 */
public final class LogStore implements LogConsumer, LogReader, SourcePositions, Closeable {
  private static final Logger log = LoggerFactory.getLogger(LogStore.class);
  static final long COMMIT_INTERVAL_MILLIS = 5_000;
  static final long DEFAULT_BLOCK_MILLIS = 2 * 3_600_000L;

  private final LogDb db;
  private final GroupCommitWriter<BatchBuilder> writer;
  private final StandardAnalyzer analyzer = new StandardAnalyzer();
  private final Path indexDir;
  private final long commitIntervalMillis;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "sextant-logs-index");
    t.setDaemon(true);
    return t;
  });
  private final ConcurrentSkipListMap<Block, LogBlock> blocks = new ConcurrentSkipListMap<>();
  private final SeqTracker seqs;
  private final UnindexedRecords unindexed = UnindexedRecords.logRecords();
  private final ExecutorService indexing;
  private final ThreadLocal<ByteWriter> scratch = ThreadLocal.withInitial(() -> new ByteWriter(512));
  // Reads hold the read lock so close() or dropping a block never frees native handles or closes
  // an index under a running read.
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  private LogStore(Path dir, long maxPendingBytes, long commitIntervalMillis, long blockMillis)
      throws RocksDBException, IOException {
    db = LogDb.open(dir.resolve("rocks"), blockMillis);
    indexDir = dir.resolve("index");
    this.commitIntervalMillis = commitIntervalMillis;
    try {
      for (Block b : db.blocks()) {
        blocks.put(b, new LogBlock(b, openIndex(b)));
      }
      seqs = new SeqTracker(LogRecovery.reindex(db, blocks.values(), unindexed));
      for (LogBlock b : blocks.values()) {
        b.index.commit();
        b.index.startBackgroundTasks();
      }
    } catch (RuntimeException | IOException | RocksDBException e) {
      for (LogBlock b : blocks.values()) {
        b.index.abandon();
      }
      timer.shutdownNow();
      db.close();
      throw e;
    }
    writer = GroupCommitWriter.forBatches(db.db(), "logs", maxPendingBytes);
    indexing = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "sextant-logs-indexer");
      t.setDaemon(true);
      return t;
    });
  }

  private LuceneIndex openIndex(Block block) throws IOException {
    Path path = Files.createDirectories(indexDir.resolve(block.name()));
    return LuceneIndex.open("logs", path, analyzer, commitIntervalMillis, this::watermark,
        w -> committed(block, w), timer);
  }

  private void committed(Block block, long watermark) {
    LogBlock b = blocks.get(block);
    if (b != null) {
      b.committed = watermark;
    }
    // Pending entries stay while some block index may lack their records in its last commit.
    long cut = seqs == null ? -1 : seqs.watermark();
    for (LogBlock o : blocks.values()) {
      if (o.committed >= 0 && (!o.sealed || o.index.hasUncommittedChanges())) {
        cut = Math.min(cut, o.committed);
      }
    }
    db.trimPending(cut);
  }

  /** The block of {@code block}, its column family and index created when missing. */
  private LogBlock block(Block block) throws RocksDBException, IOException {
    LogBlock b = blocks.get(block);
    if (b != null) {
      return b;
    }
    synchronized (blocks) {
      b = blocks.get(block);
      if (b == null) {
        db.cf(block);
        b = new LogBlock(block, openIndex(block));
        b.index.startBackgroundTasks();
        blocks.put(block, b);
      }
      return b;
    }
  }

  /**
   * Opens or creates the store in {@code dir} (subdirectories {@code rocks} and {@code index}),
   * re-indexing what the last Lucene commits missed, with two-hour blocks.
   *
   * @param maxPendingBytes bytes of accepted, not yet durable writes above which writes are refused
   * @throws StorageException when the directory cannot be opened (locked, I/O)
   */
  public static LogStore open(Path dir, long maxPendingBytes) {
    return open(dir, maxPendingBytes, COMMIT_INTERVAL_MILLIS, DEFAULT_BLOCK_MILLIS);
  }

  static LogStore open(Path dir, long maxPendingBytes, long commitIntervalMillis) {
    return open(dir, maxPendingBytes, commitIntervalMillis, DEFAULT_BLOCK_MILLIS);
  }

  /**
   * Opens or creates the store in {@code dir}.
   *
   * @param blockMillis time span of a block of records (by record time)
   */
  public static LogStore open(Path dir, long maxPendingBytes, long commitIntervalMillis,
      long blockMillis) {
    requireNonNull(dir, "dir");
    if (maxPendingBytes <= 0) {
      throw new IllegalArgumentException("maxPendingBytes: " + maxPendingBytes + " (expected: > 0)");
    }
    try {
      return new LogStore(dir, maxPendingBytes, commitIntervalMillis, blockMillis);
    } catch (RocksDBException | IOException e) {
      throw new StorageException("cannot open log store in " + dir + ": " + e.getMessage(), e);
    }
  }

  // Read only by commits, which start once the tracker exists.
  private long watermark() {
    return seqs.watermark();
  }

  @Override
  public CompletableFuture<Void> accept(List<LogRecord> records) {
    return acceptLogs(records, Map.of());
  }

  @Override
  public long position(String key) {
    requireNonNull(key, "key");
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new StorageException("log store is closed");
      }
      return db.position(key);
    } catch (RocksDBException e) {
      throw new StorageException("log store read: " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  // The positions ride in the records' own batch: one synced RocksDB write makes both durable.
  @Override
  public CompletableFuture<Void> acceptLogs(List<LogRecord> records, Map<String, Long> positions) {
    requireNonNull(records, "records");
    requireNonNull(positions, "positions");
    if (records.isEmpty() && positions.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    for (Map.Entry<String, Long> p : positions.entrySet()) {
      String key = p.getKey();
      if (key.isBlank() || key.length() > 1024) {
        return CompletableFuture.failedFuture(new IllegalArgumentException("position key: '"
            + key + "' (expected: 1-1024 characters)"));
      }
      if (p.getValue() < 0) {
        return CompletableFuture.failedFuture(new IllegalArgumentException("position " + key
            + ": " + p.getValue() + " (expected: >= 0)"));
      }
    }
    BatchBuilder batch = new BatchBuilder(records.size() * 256);
    long reserved = -1;
    Map<LogBlock, List<Integer>> byBlock = new LinkedHashMap<>();
    lifecycle.readLock().lock();
    try {
      if (closed) {
        return CompletableFuture.failedFuture(new StorageException("log store is closed"));
      }
      List<byte[]> values = new ArrayList<>(records.size());
      ByteWriter w = scratch.get();
      for (LogRecord r : records) {
        LogCodec.validate(r);
        w.reset();
        LogCodec.encode(r, w);
        values.add(w.toByteArray());
      }
      for (int i = 0; i < records.size(); i++) {
        LogBlock b = block(db.block(records.get(i).effectiveTimeUnixNano()));
        byBlock.computeIfAbsent(b, k -> new ArrayList<>()).add(i);
      }
      for (LogBlock b : byBlock.keySet()) {
        b.inFlight.incrementAndGet();
        if (b.sealed) { // a late record: the next sealing pass compacts the block again
          b.sealed = false;
          b.index.unseal();
        }
      }
      if (!records.isEmpty()) {
        reserved = seqs.reserve(records.size());
      }
      for (int i = 0; i < records.size(); i++) {
        db.put(batch, records.get(i).effectiveTimeUnixNano(), reserved + i, values.get(i));
      }
      positions.forEach((key, position) -> db.putPosition(batch, key, position));
    } catch (RuntimeException | RocksDBException | IOException e) {
      if (reserved >= 0) {
        seqs.done(reserved);
      }
      byBlock.keySet().forEach(b -> b.inFlight.decrementAndGet());
      return CompletableFuture.failedFuture(e);
    } finally {
      lifecycle.readLock().unlock();
    }
    long first = reserved;
    if (records.isEmpty()) {
      return writer.submit(batch, batch.sizeBytes());
    }
    return writer.submit(batch, batch.sizeBytes()).whenComplete((v, err) -> {
      if (err != null) {
        seqs.done(first);
      }
    }).thenRunAsync(() -> addToIndex(records, byBlock, first), indexing)
        .whenComplete((v, err) -> byBlock.keySet().forEach(b -> b.inFlight.decrementAndGet()));
  }

  private void addToIndex(List<LogRecord> records, Map<LogBlock, List<Integer>> byBlock,
      long first) {
    try {
      for (Map.Entry<LogBlock, List<Integer>> e : byBlock.entrySet()) {
        List<Document> docs = new ArrayList<>(e.getValue().size());
        List<Integer> at = e.getValue();
        for (int i : at) {
          docs.add(LogDocuments.toDocument(records.get(i), first + i));
        }
        LogDocuments.addAll(e.getKey().index.writer(), docs,
            j -> LogDocuments.id(records.get(at.get(j)).effectiveTimeUnixNano(), first + at.get(j)),
            unindexed);
      }
      seqs.done(first);
    } catch (IOException | RuntimeException e) {
      // The records are durable; leaving the block in flight pins the watermark, so the next open
      // re-indexes them. Failing the call would make the client send duplicates.
      log.error("log index: adding {} durable records failed; they are re-indexed on restart",
          records.size(), e);
    }
  }

  /** Records Lucene refused since the store was opened: stored, but not searchable. */
  public UnindexedRecords unindexed() {
    return unindexed;
  }

  @Override
  public LogPage search(LogQuery query) {
    requireNonNull(query, "query");
    Object[] after = LogQueries.after(query.cursor());
    int limit = query.limit();
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new StorageException("log store is closed");
      }
      TopDocs hits = searchBlocks(query, after, limit + 1);
      int n = Math.min(limit, hits.scoreDocs.length);
      List<byte[]> keys = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        keys.add(key(hits.scoreDocs[i]));
      }
      List<LogRecord> records = db.getAll(keys);
      String next = "";
      if (hits.scoreDocs.length > limit) {
        byte[] last = keys.get(n - 1);
        next = LogQueries.cursor(LogKeys.time(last), LogKeys.seq(last));
      }
      return new LogPage(records, next);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** Searches the blocks overlapping the query's time range as one index. */
  private TopDocs searchBlocks(LogQuery query, Object[] after, int n) {
    List<LogBlock> selected = new ArrayList<>();
    for (LogBlock b : blocks.descendingMap().values()) {
      if (b.overlaps(query.fromUnixNano(), query.toUnixNano())) {
        selected.add(b);
        b.searches.incrementAndGet();
      }
    }
    if (selected.isEmpty()) {
      return new TopDocs(new TotalHits(0,
          Relation.EQUAL_TO), new ScoreDoc[0]);
    }
    List<IndexSearcher> acquired = new ArrayList<>(selected.size());
    try {
      IndexReader[] readers = new IndexReader[selected.size()];
      for (int i = 0; i < selected.size(); i++) {
        acquired.add(selected.get(i).index.acquire());
        readers[i] = acquired.get(i).getIndexReader();
      }
      IndexSearcher s = new IndexSearcher(new MultiReader(readers, false));
      return s.searchAfter(LogQueries.position(after, s.getIndexReader().maxDoc()),
          LogQueries.toQuery(query, analyzer), n, LogQueries.NEWEST_FIRST);
    } catch (IOException e) {
      throw new StorageException("log index search: " + e, e);
    } finally {
      for (int i = 0; i < acquired.size(); i++) {
        selected.get(i).index.release(acquired.get(i));
      }
    }
  }

  private static byte[] key(ScoreDoc hit) {
    Object[] fields = ((FieldDoc) hit).fields;
    return LogKeys.recordKey((Long) fields[0], (Long) fields[1]);
  }

  /**
   * Retention: drops whole every block whose time range ended at or before {@code cutMillis}
   * (record time): its column family and index directory. Blocks with a write in flight wait for
   * the next call.
   *
   * @return the number of blocks dropped
   */
  public int dropBlocksBefore(long cutMillis) {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return 0;
      }
      int n = 0;
      for (LogBlock b : new ArrayList<>(blocks.values())) {
        if (b.block.endMillis() <= cutMillis && b.inFlight.get() == 0) {
          blocks.remove(b.block);
          b.index.abandon();
          IndexDirs.deleteTree(indexDir.resolve(b.block.name()));
          db.drop(b.block);
          log.info("retention: dropped log block {}", b.block.name());
          n++;
        }
      }
      return n;
    } catch (RocksDBException e) {
      throw new StorageException("dropping log blocks failed: " + e.getMessage(), e);
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  /**
   * Seals every block that ended more than {@code graceMillis} before {@code nowMillis} and has no
   * write in flight: compacts its records (ZSTD with a dictionary) and merges its index into one
   * segment, committed as sealed.
   *
   * @return the number of blocks sealed
   */
  public int seal(long nowMillis, long graceMillis) {
    lifecycle.readLock().lock();
    try {
      if (closed) {
        return 0;
      }
      int n = 0;
      for (LogBlock b : blocks.values()) {
        if (!b.sealed && b.block.endMillis() + graceMillis <= nowMillis && b.inFlight.get() == 0) {
          db.compact(b.block);
          b.index.seal();
          b.sealed = true;
          n++;
        }
      }
      return n;
    } catch (RocksDBException e) {
      throw new StorageException("sealing log blocks failed: " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /**
   * Whether a block holds the time {@code timeUnixNano} (record time): false once retention
   * dropped it, or when no record of that time was ever written.
   */
  public boolean holdsBlockFor(long timeUnixNano) {
    long millis = Math.floorDiv(timeUnixNano, 1_000_000L);
    var floor = blocks.floorKey(new Block(millis, Long.MAX_VALUE));
    return floor != null && floor.startMillis() <= millis && millis < floor.endMillis();
  }

  /** Per block (by name), how many searches read its index, and whether it is sealed (tests). */
  Map<String, Long> blockSearches() {
    Map<String, Long> out = new TreeMap<>();
    for (LogBlock b : blocks.values()) {
      out.put(b.block.name() + (b.sealed ? " sealed" : ""), b.searches.get());
    }
    return out;
  }

  /** Writes what is queued, indexes it, commits the index, and closes; later calls fail. */
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
    writer.close();
    indexing.shutdown();
    try {
      indexing.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      for (LogBlock b : blocks.values()) {
        b.index.close();
      }
    } finally {
      timer.shutdownNow();
      db.close();
    }
  }
}
