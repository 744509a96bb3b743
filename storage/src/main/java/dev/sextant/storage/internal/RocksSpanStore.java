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
  private final GroupCommitWriter writer;
  private final int spansCfId;
  private final ThreadLocal<ByteWriter> scratch = ThreadLocal.withInitial(() -> new ByteWriter(512));
  // Reads hold the read lock so close() never frees native handles under a running iterator.
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  public RocksSpanStore(RocksDB db, ColumnFamilyHandle spans, GroupCommitWriter writer) {
    this.db = db;
    this.spans = spans;
    this.spansCfId = spans.getID();
    this.writer = writer;
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
    return writer.submit(b);
  }

  private BatchBuilder encode(List<Span> batch) {
    BatchBuilder b = new BatchBuilder(batch.size() * 256);
    ByteWriter w = scratch.get();
    byte[] key = new byte[TRACE_ID_BYTES + SPAN_ID_BYTES];
    int cf = spansCfId;
    for (Span s : batch) {
      fillKey(key, s.traceId(), s.spanId());
      w.reset();
      SpanCodec.encode(s, w);
      b.put(cf, key, 0, key.length, w.array(), 0, w.size());
    }
    return b;
  }

  private static void fillKey(byte[] key, String traceId, String spanId) {
    if (!Ids.isValidTraceId(traceId) || !Ids.isValidSpanId(spanId)) {
      throw new IllegalArgumentException("span " + traceId + "/" + spanId
          + ": invalid IDs (expected: 32 and 16 hex characters, not all zero)");
    }
    System.arraycopy(Ids.fromHex(traceId), 0, key, 0, TRACE_ID_BYTES);
    System.arraycopy(Ids.fromHex(spanId), 0, key, TRACE_ID_BYTES, SPAN_ID_BYTES);
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
