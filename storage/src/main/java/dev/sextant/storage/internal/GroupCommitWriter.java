package dev.sextant.storage.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: one thread drains every pending batch, writes them as one RocksDB batch with a
 * synced WAL, then completes all their futures. Under load many requests share one fsync; when
 * idle, a lone request is written at once.
 */
public final class GroupCommitWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
  private static final int MAX_GROUP_BYTES = 32 << 20;

  private record Pending(BatchBuilder batch, CompletableFuture<Void> done) {}

  private final RocksDB db;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final AtomicLong pendingBytes = new AtomicLong();
  private final long maxPendingBytes;
  private final Thread thread;
  private volatile boolean closed;

  public GroupCommitWriter(RocksDB db, String name, long maxPendingBytes) {
    this.db = db;
    this.maxPendingBytes = maxPendingBytes;
    this.thread = new Thread(this::run, "sextant-" + name + "-writer");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Queues a batch; the future completes once it is durable. Fails fast with
   * {@link RejectedExecutionException} when closed or when the pending bytes exceed the budget.
   */
  public CompletableFuture<Void> submit(BatchBuilder batch) {
    if (closed) {
      return CompletableFuture.failedFuture(new RejectedExecutionException("storage is closed"));
    }
    if (batch.count() == 0) {
      return CompletableFuture.completedFuture(null);
    }
    long size = batch.sizeBytes();
    if (pendingBytes.addAndGet(size) > maxPendingBytes) {
      pendingBytes.addAndGet(-size);
      return CompletableFuture.failedFuture(new RejectedExecutionException(
          "storage write queue: over " + maxPendingBytes + " bytes pending (retry later)"));
    }
    CompletableFuture<Void> f = new CompletableFuture<>();
    queue.add(new Pending(batch, f));
    return f;
  }

  public long pendingBytes() {
    return pendingBytes.get();
  }

  private void run() {
    List<Pending> group = new ArrayList<>();
    while (!closed || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        group.add(first);
        long bytes = first.batch.sizeBytes();
        Pending next;
        while (bytes < MAX_GROUP_BYTES && (next = queue.poll()) != null) {
          group.add(next);
          bytes += next.batch.sizeBytes();
        }
        writeGroup(group, bytes);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } finally {
        group.clear();
      }
    }
    Pending p;
    while ((p = queue.poll()) != null) {
      p.done.completeExceptionally(new RejectedExecutionException("storage is closed"));
    }
  }

  private void writeGroup(List<Pending> group, long bytes) {
    BatchBuilder merged = group.get(0).batch;
    if (group.size() > 1) {
      merged = new BatchBuilder((int) Math.min(bytes, Integer.MAX_VALUE - 64));
      for (Pending p : group) {
        merged.append(p.batch);
      }
    }
    Throwable failure = null;
    try (WriteBatch wb = new WriteBatch(merged.toBytes());
         WriteOptions opts = new WriteOptions().setSync(true)) {
      db.write(opts, wb);
    } catch (RocksDBException | RuntimeException e) {
      log.error("storage write of {} records failed", merged.count(), e);
      failure = e;
    }
    for (Pending p : group) {
      pendingBytes.addAndGet(-p.batch.sizeBytes());
      if (failure == null) {
        p.done.complete(null);
      } else {
        p.done.completeExceptionally(failure);
      }
    }
  }

  /** Stops accepting, writes what is queued, and waits for the writer thread. */
  @Override
  public void close() {
    closed = true;
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
