package dev.sextant.storage.internal;

import dev.sextant.storage.Ids;
import dev.sextant.storage.Span;
import dev.sextant.storage.SpanConsumer;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.TraceReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/**
 * Spans in RocksDB keyed {@code traceId(16) + spanId(8)}: a trace is one prefix scan, and a span
 * re-sent by a retrying client overwrites itself instead of duplicating.
 */
public final class RocksSpanStore implements SpanConsumer, TraceReader {
  static final int TRACE_ID_BYTES = 16;
  static final int SPAN_ID_BYTES = 8;

  private final RocksDB db;
  private final ColumnFamilyHandle spans;
  private final ColumnFamilyHandle ingestLog;
  private final GroupCommitWriter writer;
  private final int spansCfId;
  private final int ingestLogCfId;
  private final SpanIndexSink index;
  private final AtomicInteger seq = new AtomicInteger();
  private final ThreadLocal<ByteWriter> scratch = ThreadLocal.withInitial(() -> new ByteWriter(512));
  // Reads hold the read lock so close() never frees native handles under a running iterator.
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  /** Where durable spans go to become searchable (the Lucene span index). */
  public interface SpanIndexSink {
    void index(List<Span> spans);
  }

  /**
   * @param ingestLog column family recording, by write time, which spans each batch wrote, so
   *     the derived search index can be re-fed after a crash
   */
  public RocksSpanStore(RocksDB db, ColumnFamilyHandle spans, ColumnFamilyHandle ingestLog,
      GroupCommitWriter writer, SpanIndexSink index) {
    this.db = db;
    this.spans = spans;
    this.ingestLog = ingestLog;
    this.spansCfId = spans.getID();
    this.ingestLogCfId = ingestLog.getID();
    this.writer = writer;
    this.index = index;
  }

  /** Waits for running reads, then refuses new ones. The caller closes the DB afterwards. */
  public void close() {
    lifecycle.writeLock().lock();
    try {
      closed = true;
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  @Override
  public CompletableFuture<Void> accept(List<Span> batch) {
    BatchBuilder b;
    try {
      b = encode(batch);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    // Acknowledged once durable and searchable; indexing runs off the group-commit thread.
    return writer.submit(b).thenRunAsync(() -> indexQuietly(batch), INDEXER);
  }

  private static final java.util.concurrent.Executor INDEXER =
      java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "sextant-span-indexer");
        t.setDaemon(true);
        return t;
      });

  private void indexQuietly(List<Span> batch) {
    try {
      index.index(batch);
    } catch (RuntimeException e) {
      // The spans are durable; recovery re-feeds the index from the ingest log on restart.
      org.slf4j.LoggerFactory.getLogger(RocksSpanStore.class)
          .error("indexing {} stored spans failed", batch.size(), e);
    }
  }

  /** Re-feeds the index with every span written at or after {@code fromUnixNano}. */
  public long reindexSince(long fromUnixNano) {
    long count = 0;
    byte[] from = java.nio.ByteBuffer.allocate(8).putLong(Math.max(0, fromUnixNano)).array();
    try (RocksIterator it = db.newIterator(ingestLog)) {
      for (it.seek(from); it.isValid(); it.next()) {
        byte[] keys = it.value();
        List<Span> batch = new ArrayList<>(keys.length / KEY_BYTES);
        for (int off = 0; off + KEY_BYTES <= keys.length; off += KEY_BYTES) {
          byte[] k = Arrays.copyOfRange(keys, off, off + KEY_BYTES);
          byte[] v = db.get(spans, k);
          if (v != null) {
            batch.add(SpanCodec.decode(Arrays.copyOfRange(k, 0, TRACE_ID_BYTES),
                Arrays.copyOfRange(k, TRACE_ID_BYTES, KEY_BYTES), v));
          }
        }
        if (!batch.isEmpty()) {
          index.index(batch);
          count += batch.size();
        }
      }
    } catch (org.rocksdb.RocksDBException e) {
      throw new StorageException("re-indexing spans failed: " + e.getMessage(), e);
    }
    return count;
  }

  /**
   * Retention: deletes every span written before {@code beforeUnixNano} (by the ingest log, which
   * is kept for the whole retention period for this), then those ingest-log entries.
   *
   * @return the number of spans deleted
   */
  public long deleteWrittenBefore(long beforeUnixNano) {
    if (beforeUnixNano <= 0) {
      return 0;
    }
    byte[] end = java.nio.ByteBuffer.allocate(8).putLong(beforeUnixNano).array();
    long deleted = 0;
    lifecycle.readLock().lock();
    try (RocksIterator it = db.newIterator(ingestLog);
         org.rocksdb.WriteOptions wo = new org.rocksdb.WriteOptions()) {
      if (closed) {
        return 0;
      }
      org.rocksdb.WriteBatch wb = new org.rocksdb.WriteBatch();
      try {
        for (it.seekToFirst(); it.isValid()
            && Arrays.compareUnsigned(it.key(), 0, 8, end, 0, 8) < 0; it.next()) {
          byte[] keys = it.value();
          for (int off = 0; off + KEY_BYTES <= keys.length; off += KEY_BYTES) {
            wb.delete(spans, Arrays.copyOfRange(keys, off, off + KEY_BYTES));
            deleted++;
          }
          if (wb.count() > 10_000) {
            db.write(wo, wb);
            wb.clear();
          }
        }
        wb.deleteRange(ingestLog, new byte[8], end);
        db.write(wo, wb);
      } finally {
        wb.close();
      }
    } catch (org.rocksdb.RocksDBException e) {
      throw new StorageException("span retention failed: " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
    return deleted;
  }

  /** Compacts the span column families so deleted data leaves the disk. */
  public void compact() {
    lifecycle.readLock().lock();
    try {
      if (!closed) {
        db.compactRange(spans);
        db.compactRange(ingestLog);
      }
    } catch (org.rocksdb.RocksDBException e) {
      org.slf4j.LoggerFactory.getLogger(RocksSpanStore.class)
          .warn("span compaction failed: {}", e.getMessage());
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private static final int KEY_BYTES = TRACE_ID_BYTES + SPAN_ID_BYTES;

  private BatchBuilder encode(List<Span> batch) {
    BatchBuilder b = new BatchBuilder(batch.size() * 256);
    ByteWriter w = scratch.get();
    byte[] key = new byte[TRACE_ID_BYTES + SPAN_ID_BYTES];
    int cf = spansCfId;
    byte[] logged = new byte[batch.size() * KEY_BYTES];
    int i = 0;
    for (Span s : batch) {
      fillKey(key, s.traceId(), s.spanId());
      w.reset();
      SpanCodec.encode(s, w);
      b.put(cf, key, 0, key.length, w.array(), 0, w.size());
      System.arraycopy(key, 0, logged, i++ * KEY_BYTES, KEY_BYTES);
    }
    // Ingest log: write time (nanos, big-endian, so a range scan is a time range) + a sequence.
    byte[] logKey = java.nio.ByteBuffer.allocate(12)
        .putLong(System.currentTimeMillis() * 1_000_000L).putInt(seq.incrementAndGet()).array();
    b.put(ingestLogCfId, logKey, logged);
    return b;
  }

  /** Decodes the IDs straight into the key: no intermediate arrays per span on the ingest path. */
  private static void fillKey(byte[] key, String traceId, String spanId) {
    if (!Ids.decodeValidId(traceId, TRACE_ID_BYTES, key, 0)
        || !Ids.decodeValidId(spanId, SPAN_ID_BYTES, key, TRACE_ID_BYTES)) {
      throw new IllegalArgumentException("span " + traceId + "/" + spanId
          + ": invalid IDs (expected: 32 and 16 hex characters, not all zero)");
    }
  }


  @Override
  public List<Span> getTrace(String traceId) {
    if (traceId == null || traceId.length() != 32) {
      throw new IllegalArgumentException("traceId: " + traceId + " (expected: 32 hex characters)");
    }
    byte[] prefix = Ids.fromHex(traceId);
    List<Span> out = new ArrayList<>();
    lifecycle.readLock().lock();
    if (closed) {
      lifecycle.readLock().unlock();
      throw new StorageException("storage is closed");
    }
    try (ReadOptions ro = new ReadOptions().setPrefixSameAsStart(true);
         RocksIterator it = db.newIterator(spans, ro)) {
      for (it.seek(prefix); it.isValid(); it.next()) {
        byte[] k = it.key();
        if (k.length != TRACE_ID_BYTES + SPAN_ID_BYTES
            || !Arrays.equals(k, 0, TRACE_ID_BYTES, prefix, 0, TRACE_ID_BYTES)) {
          break;
        }
        out.add(SpanCodec.decode(prefix, Arrays.copyOfRange(k, TRACE_ID_BYTES, k.length),
            it.value()));
      }
    } finally {
      lifecycle.readLock().unlock();
    }
    return out;
  }
}
