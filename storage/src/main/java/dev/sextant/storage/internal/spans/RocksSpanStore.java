package dev.sextant.storage.internal.spans;

import dev.sextant.storage.Ids;
import dev.sextant.storage.Span;
import dev.sextant.storage.SpanConsumer;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.TraceReader;
import dev.sextant.storage.internal.kv.BatchBuilder;
import dev.sextant.storage.internal.kv.Block;
import dev.sextant.storage.internal.kv.ByteWriter;
import dev.sextant.storage.internal.kv.GroupCommitWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.FlushOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spans in RocksDB, one column family per {@link SpanBlock block} of write time, keyed
 * {@code traceId(16) + spanId(8)}: a trace is one prefix scan per block (a prefix bloom filter
 * skips the blocks without it), and a span re-sent by a retrying client overwrites itself.
 *
 * <p>A write goes to the block of the moment it is accepted, so a late span (one that started
 * long ago) never lands in a sealed block; the block's start-time bounds widen to cover it instead,
 * and time-range searches still find it.
 *
 * <p>The {@code ingest} column family logs, by write time, which spans each batch wrote to which
 * block, so a block index that lost its newest documents in a crash is re-fed from there.
 */
public final class RocksSpanStore implements SpanConsumer, TraceReader {
  private static final Logger log = LoggerFactory.getLogger(RocksSpanStore.class);
  static final int TRACE_ID_BYTES = 16;
  static final int SPAN_ID_BYTES = 8;
  private static final int KEY_BYTES = TRACE_ID_BYTES + SPAN_ID_BYTES;
  private static final int INGEST_HEADER = 16;
  private static final Executor INDEXER = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "sextant-span-indexer");
    t.setDaemon(true);
    return t;
  });

  private final RocksDB db;
  private final ColumnFamilyHandle ingestLog;
  private final int ingestLogCfId;
  private final GroupCommitWriter<BatchBuilder> writer;
  private final SpanBlocks blocks;
  private final LongSupplier nowMillis;
  private final AtomicInteger seq = new AtomicInteger();
  private final ThreadLocal<ByteWriter> scratch = ThreadLocal.withInitial(() -> new ByteWriter(512));
  // Reads hold the read lock so close() or dropping a block never frees native handles under a
  // running iterator.
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  RocksSpanStore(RocksDB db, ColumnFamilyHandle ingestLog, GroupCommitWriter<BatchBuilder> writer,
      SpanBlocks blocks, LongSupplier nowMillis) {
    this.db = db;
    this.ingestLog = ingestLog;
    this.ingestLogCfId = ingestLog.getID();
    this.writer = writer;
    this.blocks = blocks;
    this.nowMillis = nowMillis;
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
    SpanBlock b;
    BatchBuilder bb;
    lifecycle.readLock().lock();
    try {
      if (closed) {
        return CompletableFuture.failedFuture(new StorageException("storage is closed"));
      }
      if (batch.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      b = blocks.current(nowMillis.getAsLong());
      b.inFlight.incrementAndGet();
      try {
        bb = encode(batch, b);
      } catch (RuntimeException e) {
        b.inFlight.decrementAndGet();
        return CompletableFuture.failedFuture(e);
      }
      if (b.sealed) {
        // Only a clock set back lands here; the next maintenance pass seals the block again.
        b.sealed = false;
        b.index.unseal();
      }
    } finally {
      lifecycle.readLock().unlock();
    }
    SpanBlock block = b;
    // Acknowledged once durable and searchable; indexing runs off the group-commit thread.
    return writer.submit(bb, bb.sizeBytes()).thenRunAsync(() -> indexQuietly(block, batch), INDEXER)
        .whenComplete((v, e) -> block.inFlight.decrementAndGet());
  }

  private static void indexQuietly(SpanBlock b, List<Span> batch) {
    try {
      b.index.index(batch);
    } catch (RuntimeException e) {
      // The spans are durable; recovery re-feeds the index from the ingest log on restart.
      log.error("indexing {} stored spans failed", batch.size(), e);
    }
  }

  private BatchBuilder encode(List<Span> batch, SpanBlock block) {
    // A testbed span (10 attributes of 20 + 20 characters) encodes to some 450 bytes.
    BatchBuilder b = new BatchBuilder(batch.size() * 512);
    ByteWriter w = scratch.get();
    byte[] key = new byte[KEY_BYTES];
    byte[] logged = new byte[INGEST_HEADER + batch.size() * KEY_BYTES];
    ByteBuffer.wrap(logged).putLong(block.block.startMillis()).putLong(block.block.durationMillis());
    int i = 0;
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (Span s : batch) {
      fillKey(key, s.traceId(), s.spanId());
      w.reset();
      SpanCodec.encode(s, w);
      b.put(block.cfId, key, 0, key.length, w.array(), 0, w.size());
      System.arraycopy(key, 0, logged, INGEST_HEADER + i++ * KEY_BYTES, KEY_BYTES);
      min = Math.min(min, s.startTimeUnixNano());
      max = Math.max(max, s.startTimeUnixNano());
    }
    // Ingest log: write time (nanos, big-endian, so a range scan is a time range) + a sequence.
    // Wall-clock time, as the index watermarks it is compared with.
    byte[] logKey = ByteBuffer.allocate(12)
        .putLong(System.currentTimeMillis() * 1_000_000L).putInt(seq.incrementAndGet()).array();
    b.put(ingestLogCfId, logKey, logged);
    blocks.widen(block, min, max, b);
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

  /**
   * Brings every block index back in step after open: a block whose index has no commit is
   * re-indexed from its column family; the others get the spans of the ingest log written at or
   * after their recovery point.
   *
   * @return the number of spans re-indexed
   */
  public long recover() {
    long count = 0;
    long from = Long.MAX_VALUE;
    Map<Block, SpanBlock> replay = new HashMap<>();
    for (SpanBlock b : blocks.newestFirst()) {
      if (b.recoveryPoint < 0) {
        count += reindexAll(b);
      } else {
        replay.put(b.block, b);
        from = Math.min(from, b.recoveryPoint);
      }
    }
    if (!replay.isEmpty()) {
      count += replay(replay, from);
    }
    return count;
  }

  private long reindexAll(SpanBlock b) {
    long count = 0;
    List<Span> batch = new ArrayList<>();
    try (RocksIterator it = db.newIterator(b.cf)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        Span s = decode(it.key(), it.value(), b);
        if (s != null) {
          batch.add(s);
        }
        if (batch.size() == 1000) {
          b.index.index(batch);
          count += batch.size();
          batch.clear();
        }
      }
    }
    b.index.index(batch);
    count += batch.size();
    if (count > 0) {
      log.info("span block {}: index had no commit, re-indexed {} spans", b.block.name(), count);
    }
    return count;
  }

  /**
   * A stored span for re-indexing, or null (counted and logged) when it cannot be decoded: one
   * damaged record must not keep the store from opening.
   */
  private Span decode(byte[] key, byte[] value, SpanBlock b) {
    try {
      return SpanCodec.decode(Arrays.copyOfRange(key, 0, TRACE_ID_BYTES),
          Arrays.copyOfRange(key, TRACE_ID_BYTES, KEY_BYTES), value, b.dictionary);
    } catch (RuntimeException e) {
      blocks.unindexed.skipped(Ids.toHex(Arrays.copyOfRange(key, 0, TRACE_ID_BYTES)) + "/"
          + Ids.toHex(Arrays.copyOfRange(key, TRACE_ID_BYTES, KEY_BYTES)), e);
      return null;
    }
  }

  private long replay(Map<Block, SpanBlock> replay, long fromUnixNano) {
    long count = 0;
    byte[] from = ByteBuffer.allocate(8).putLong(Math.max(0, fromUnixNano)).array();
    try (RocksIterator it = db.newIterator(ingestLog)) {
      for (it.seek(from); it.isValid(); it.next()) {
        long written = ByteBuffer.wrap(it.key()).getLong();
        ByteBuffer v = ByteBuffer.wrap(it.value());
        SpanBlock b = replay.get(new Block(v.getLong(), v.getLong()));
        if (b == null || written < b.recoveryPoint) {
          continue;
        }
        byte[] keys = it.value();
        List<Span> batch = new ArrayList<>((keys.length - INGEST_HEADER) / KEY_BYTES);
        for (int off = INGEST_HEADER; off + KEY_BYTES <= keys.length; off += KEY_BYTES) {
          byte[] k = Arrays.copyOfRange(keys, off, off + KEY_BYTES);
          byte[] value = db.get(b.cf, k);
          Span s = value == null ? null : decode(k, value, b);
          if (s != null) {
            batch.add(s);
          }
        }
        b.index.index(batch);
        count += batch.size();
      }
    } catch (RocksDBException e) {
      throw new StorageException("re-indexing spans failed: " + e.getMessage(), e);
    }
    return count;
  }

  /**
   * Drops the ingest-log entries no block index can need any more: those older than the recovery
   * point of every block that may still miss documents in its last commit.
   */
  void trimIngestLog() {
    long cut = System.currentTimeMillis() * 1_000_000L - SpanIndexer.RECOVERY_MARGIN_NANOS;
    for (SpanBlock b : blocks.newestFirst()) {
      if (b.recoveryPoint >= 0 && (!b.sealed || b.index.hasUncommittedChanges())) {
        cut = Math.min(cut, b.recoveryPoint);
      }
    }
    deleteIngestBefore(cut);
  }

  private void deleteIngestBefore(long cut) {
    if (cut <= 0) {
      return;
    }
    lifecycle.readLock().lock();
    try {
      if (!closed) {
        db.deleteRange(ingestLog, new byte[8], ByteBuffer.allocate(8).putLong(cut).array());
      }
    } catch (RocksDBException e) {
      log.warn("trimming the span ingest log failed: {}", e.getMessage());
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /**
   * Retention: drops whole every block that ended at or before {@code cutMillis} (write time).
   *
   * @return the number of blocks dropped
   */
  int dropBlocksBefore(long cutMillis) {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return 0;
      }
      int n = 0;
      for (SpanBlock b : blocks.expired(cutMillis)) {
        blocks.drop(b);
        log.info("retention: dropped span block {}", b.block.name());
        n++;
      }
      return n;
    } catch (RocksDBException e) {
      throw new StorageException("dropping span blocks failed: " + e.getMessage(), e);
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  /** Seals the blocks past their end plus {@code graceMillis}; see {@link SpanBlocks#seal}. */
  int seal(long nowMillis, long graceMillis) {
    lifecycle.readLock().lock();
    try {
      return closed ? 0 : blocks.seal(nowMillis, graceMillis);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /**
   * Merges every block index into one segment, drops the ingest log they no longer need, and
   * compacts every column family now, as sealing does, sealed or not. For tools measuring disk
   * use, with no write in flight (otherwise the ingest log keeps a minute of entries).
   */
  void compactAll() {
    lifecycle.readLock().lock();
    try {
      if (!closed) {
        blocks.mergeIndexes();
        boolean idle = true;
        for (SpanBlock b : blocks.newestFirst()) {
          idle &= b.inFlight.get() == 0;
        }
        if (idle) { // every accepted span is in a commit now
          deleteIngestBefore(System.currentTimeMillis() * 1_000_000L + 1);
        } else {
          trimIngestLog();
        }
        db.compactRange(ingestLog);
        blocks.compactAll();
        // The default column family (block bounds) pins the WAL until it is flushed.
        try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
          db.flush(fo, db.getDefaultColumnFamily());
        }
      }
    } catch (RocksDBException e) {
      throw new StorageException("span compaction failed: " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public List<Span> getTrace(String traceId) {
    return getTrace(traceId, Integer.MAX_VALUE);
  }

  @Override
  public List<Span> getTrace(String traceId, int limit) {
    if (traceId == null || traceId.length() != 32) {
      throw new IllegalArgumentException("traceId: " + traceId + " (expected: 32 hex characters)");
    }
    if (limit <= 0) {
      throw new IllegalArgumentException("limit: " + limit + " (expected: > 0)");
    }
    byte[] prefix = Ids.fromHex(traceId);
    String hex = Ids.toHex(prefix); // lower case, as stored spans have always been returned
    List<Span> out = new ArrayList<>();
    // Keys are unique within a block: only a trace found in more than one block (a span re-sent
    // later) needs the span IDs already read, so a trace of one block sets none of them up.
    Set<Long> seen = null;
    lifecycle.readLock().lock();
    try (ReadOptions ro = new ReadOptions().setPrefixSameAsStart(true)) {
      if (closed) {
        throw new StorageException("storage is closed");
      }
      // Newest block first: a span re-sent into a later block is returned as last written.
      for (SpanBlock b : blocks.newestFirst()) {
        if (out.size() == limit) {
          break;
        }
        if (seen == null && !out.isEmpty()) {
          seen = new HashSet<>(out.size() * 2);
          for (Span s : out) {
            seen.add(Long.parseUnsignedLong(s.spanId(), 16));
          }
        }
        try (RocksIterator it = db.newIterator(b.cf, ro)) {
          // Stops at the limit: a 10-million-span trace must not be decoded into memory.
          for (it.seek(prefix); it.isValid() && out.size() < limit; it.next()) {
            byte[] k = it.key();
            if (k.length != KEY_BYTES || !Arrays.equals(k, 0, TRACE_ID_BYTES, prefix, 0,
                TRACE_ID_BYTES)) {
              break;
            }
            if (seen == null || seen.add(ByteBuffer.wrap(k, TRACE_ID_BYTES, SPAN_ID_BYTES)
                .getLong())) {
              out.add(SpanCodec.decode(hex, Ids.toHex(k, TRACE_ID_BYTES, SPAN_ID_BYTES),
                  it.value(), b.dictionary));
            }
          }
        }
      }
    } finally {
      lifecycle.readLock().unlock();
    }
    return out;
  }

  /** Runs {@code read} under the read lock (block indexes stay open meanwhile). */
  <T> T read(Supplier<T> read) {
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new StorageException("storage is closed");
      }
      return read.get();
    } finally {
      lifecycle.readLock().unlock();
    }
  }
}
