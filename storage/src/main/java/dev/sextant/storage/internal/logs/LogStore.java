package dev.sextant.storage.internal.logs;

import static java.util.Objects.requireNonNull;

import dev.sextant.storage.LogConsumer;
import dev.sextant.storage.LogPage;
import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogReader;
import dev.sextant.storage.LogRecord;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.internal.BatchBuilder;
import dev.sextant.storage.internal.ByteWriter;
import dev.sextant.storage.internal.GroupCommitWriter;
import dev.sextant.storage.internal.search.LuceneIndex;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log records in their own RocksDB, searchable through a Lucene index (full text on the body,
 * keyword filters, time).
 *
 * <p>Write: the records and one pending-index entry per record go to RocksDB in one synced batch
 * (group commit); then the records are added to Lucene; then the future completes. So an
 * acknowledged record is searchable at once.
 *
 * <p>Crash recovery: each Lucene commit records the sequence number below which every record is in
 * the commit, and then drops the pending entries up to it. On open, pending entries above the
 * committed watermark are re-indexed (after deleting any of their documents that made it into the
 * commit, so none is doubled). Without any Lucene commit (index new or lost) every record is
 * re-indexed.
 */
public final class LogStore implements LogConsumer, LogReader, Closeable {
  private static final Logger log = LoggerFactory.getLogger(LogStore.class);
  static final long COMMIT_INTERVAL_MILLIS = 5_000;

  private final LogDb db;
  private final GroupCommitWriter writer;
  private final StandardAnalyzer analyzer = new StandardAnalyzer();
  private final LuceneIndex index;
  private final SeqTracker seqs;
  private final ExecutorService indexing;
  private final ThreadLocal<ByteWriter> scratch = ThreadLocal.withInitial(() -> new ByteWriter(512));
  // Reads hold the read lock so close() never frees native handles under a running read.
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  private LogStore(Path dir, long maxPendingBytes, long commitIntervalMillis)
      throws RocksDBException, IOException {
    db = LogDb.open(dir.resolve("rocks"));
    LuceneIndex idx = null;
    try {
      idx = LuceneIndex.open("logs", dir.resolve("index"), analyzer, commitIntervalMillis,
          this::watermark, db::trimPending);
      seqs = new SeqTracker(LogRecovery.reindex(db, idx.writer(), idx.openedWatermark()));
      index = idx;
      idx.commit();
      idx.startBackgroundTasks();
    } catch (RuntimeException | IOException | RocksDBException e) {
      if (idx != null) {
        idx.abandon();
      }
      db.close();
      throw e;
    }
    writer = new GroupCommitWriter(db.db(), "logs", maxPendingBytes);
    indexing = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "sextant-logs-indexer");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Opens or creates the store in {@code dir} (subdirectories {@code rocks} and {@code index}),
   * re-indexing what the last Lucene commit missed.
   *
   * @param maxPendingBytes bytes of accepted, not yet durable writes above which writes are refused
   * @throws StorageException when the directory cannot be opened (locked, I/O)
   */
  public static LogStore open(Path dir, long maxPendingBytes) {
    return open(dir, maxPendingBytes, COMMIT_INTERVAL_MILLIS);
  }

  static LogStore open(Path dir, long maxPendingBytes, long commitIntervalMillis) {
    requireNonNull(dir, "dir");
    if (maxPendingBytes <= 0) {
      throw new IllegalArgumentException("maxPendingBytes: " + maxPendingBytes + " (expected: > 0)");
    }
    try {
      return new LogStore(dir, maxPendingBytes, commitIntervalMillis);
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
    requireNonNull(records, "records");
    if (records.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    BatchBuilder batch = new BatchBuilder(records.size() * 256);
    long reserved = -1;
    try {
      List<byte[]> values = new ArrayList<>(records.size());
      ByteWriter w = scratch.get();
      for (LogRecord r : records) {
        LogCodec.validate(r);
        w.reset();
        LogCodec.encode(r, w);
        values.add(w.toByteArray());
      }
      reserved = seqs.reserve(records.size());
      for (int i = 0; i < records.size(); i++) {
        db.put(batch, records.get(i).effectiveTimeUnixNano(), reserved + i, values.get(i));
      }
    } catch (RuntimeException e) {
      if (reserved >= 0) {
        seqs.done(reserved);
      }
      return CompletableFuture.failedFuture(e);
    }
    long first = reserved;
    return writer.submit(batch).whenComplete((v, err) -> {
      if (err != null) {
        seqs.done(first);
      }
    }).thenRunAsync(() -> addToIndex(records, first), indexing);
  }

  private void addToIndex(List<LogRecord> records, long first) {
    List<Document> docs = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      docs.add(LogDocuments.toDocument(records.get(i), first + i));
    }
    try {
      index.writer().addDocuments(docs);
      seqs.done(first);
    } catch (IOException | RuntimeException e) {
      // The records are durable; leaving the block in flight pins the watermark, so the next open
      // re-indexes them. Failing the call would make the client send duplicates.
      log.error("log index: adding {} durable records failed; they are re-indexed on restart",
          records.size(), e);
    }
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
      TopDocs hits = index.search(s -> s.searchAfter(
          LogQueries.position(after, s.getIndexReader().maxDoc()),
          LogQueries.toQuery(query, analyzer), limit + 1, LogQueries.NEWEST_FIRST));
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

  private static byte[] key(ScoreDoc hit) {
    Object[] fields = ((FieldDoc) hit).fields;
    return LogKeys.recordKey((Long) fields[0], (Long) fields[1]);
  }

  /**
   * Deletes every record older than {@code unixNano} (by {@link LogRecord#effectiveTimeUnixNano()}),
   * for retention. Durable at the next index commit; records arriving later with older times are
   * kept until the next call.
   */
  public void deleteBefore(long unixNano) {
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new StorageException("log store is closed");
      }
      if (unixNano <= 0) {
        return;
      }
      // Searches skip hits whose record is gone, so a crash between the two deletes is harmless.
      index.writer().deleteDocuments(LongPoint.newRangeQuery(LogDocuments.TIME, Long.MIN_VALUE,
          unixNano - 1));
      db.deleteBefore(unixNano);
    } catch (IOException e) {
      throw new StorageException("log store delete: " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
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
      index.close();
    } finally {
      db.close();
    }
  }
}
