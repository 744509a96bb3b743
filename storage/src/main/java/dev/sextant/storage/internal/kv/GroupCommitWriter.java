package dev.sextant.storage.internal.kv;

import static java.util.Objects.requireNonNull;

import dev.sextant.storage.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit, the one write path of every signal into its RocksDB: callers queue writes; one
 * thread takes what is queued, has the signal's {@link Committer} turn the group into one
 * {@link BatchBuilder}, writes it in one RocksDB write with a synced WAL, lets the committer apply
 * it, and only then completes the writes' futures. So a completed future means a durable write;
 * under load many writes share one fsync, and when idle a lone write is written at once.
 *
 * <p>Writes are refused (a future failed with {@link RejectedExecutionException}, retryable) when
 * the writer is closed or when the bytes of queued writes would exceed the budget: a slow disk
 * turns into refusals, never into unbounded memory. A failed RocksDB write fails every future of
 * its group with a {@link StorageException}; nothing of the group is durable.
 *
 * <p>{@link #run} runs a task on the writer thread between groups (retention, flushing): a
 * signal whose in-memory state only the writer thread touches needs no other lock for it.
 *
 * @param <T> one queued write, as the committer understands it
 */
public final class GroupCommitWriter<T> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
  private static final int MAX_BATCH_GROUP_BYTES = 32 << 20;

  /** What a signal does with a group of writes; every method runs on the writer thread. */
  public interface Committer<T> {
    /** How much {@code write} counts towards the group's limit. */
    long weight(T write);

    /**
     * The batch to write for {@code group} (in queue order); an empty batch writes nothing. May
     * return the batch of a lone write itself.
     */
    BatchBuilder batch(List<T> group);

    /**
     * Called after the group's batch was written ({@code failure} null: it is durable) or not,
     * before any future of the group completes. Throwing fails the group's futures.
     */
    default void written(List<T> group, @Nullable Throwable failure) {}

    /** Called after the group's futures completed: work the acknowledgement need not wait for. */
    default void afterGroup() {}
  }

  /** For writes that are ready-made batches: a group is written as their concatenation. */
  public static final Committer<BatchBuilder> BATCHES = new Committer<>() {
    @Override
    public long weight(BatchBuilder write) {
      return write.sizeBytes();
    }

    @Override
    public BatchBuilder batch(List<BatchBuilder> group) {
      if (group.size() == 1) {
        return group.get(0);
      }
      long bytes = 0;
      for (BatchBuilder b : group) {
        bytes += b.sizeBytes();
      }
      BatchBuilder merged = new BatchBuilder((int) Math.min(bytes, Integer.MAX_VALUE - 64));
      for (BatchBuilder b : group) {
        merged.append(b);
      }
      return merged;
    }
  };

  private record Pending<T>(T write, long bytes, CompletableFuture<Void> done) {}

  private record Task(Runnable action, CompletableFuture<Void> done) {}

  private final RocksDB db;
  private final String store;
  private final Committer<T> committer;
  private final long maxPendingBytes;
  private final long maxGroupWeight;
  private final WriteOptions writeOptions;
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final AtomicLong pendingBytes = new AtomicLong();
  private final Thread thread;
  private volatile boolean closed;

  /**
   * A writer whose thread is started by {@link #start()}.
   *
   * @param name names the thread, {@code sextant-<name>-writer}
   * @param store names the store in error messages ("storage", "metric store")
   * @param maxPendingBytes bytes of queued writes over which writes are refused
   * @param maxGroupWeight a group takes queued writes until their weights reach this
   * @param sync whether each group's write syncs the WAL before the futures complete; false
   *     gives up durability on power loss (not on a process crash), for benchmarks
   */
  public GroupCommitWriter(RocksDB db, String name, String store, Committer<T> committer,
      long maxPendingBytes, long maxGroupWeight, boolean sync) {
    this.db = requireNonNull(db, "db");
    this.store = requireNonNull(store, "store");
    this.committer = requireNonNull(committer, "committer");
    if (maxPendingBytes <= 0) {
      throw new IllegalArgumentException("maxPendingBytes: " + maxPendingBytes
          + " (expected: > 0)");
    }
    this.maxPendingBytes = maxPendingBytes;
    this.maxGroupWeight = maxGroupWeight;
    this.writeOptions = new WriteOptions().setSync(sync);
    this.thread = new Thread(this::run, "sextant-" + name + "-writer");
    thread.setDaemon(true);
  }

  /**
   * A started writer of ready-made batches ({@link #BATCHES}), synced, in groups of up to 32 MiB.
   */
  public static GroupCommitWriter<BatchBuilder> forBatches(RocksDB db, String name,
      long maxPendingBytes) {
    GroupCommitWriter<BatchBuilder> w = new GroupCommitWriter<>(db, name, "storage", BATCHES,
        maxPendingBytes, MAX_BATCH_GROUP_BYTES, true);
    w.start();
    return w;
  }

  /** Starts the writer thread: queued writes are written from now on. */
  public void start() {
    thread.start();
  }

  /**
   * Queues {@code write}, which holds about {@code bytes} of the budget until it is written. The
   * future completes once the write is durable and its committer applied it; it fails fast with
   * {@link RejectedExecutionException} when the writer is closed or over its budget.
   */
  public CompletableFuture<Void> submit(T write, long bytes) {
    if (closed) {
      return CompletableFuture.failedFuture(closedError());
    }
    if (pendingBytes.addAndGet(bytes) > maxPendingBytes) {
      pendingBytes.addAndGet(-bytes);
      return CompletableFuture.failedFuture(new RejectedExecutionException(
          store + " write queue: over " + maxPendingBytes + " bytes pending (retry later)"));
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    queue.add(new Pending<>(write, bytes, done));
    return done;
  }

  /**
   * Runs {@code action} on the writer thread between groups and waits for it; its exception is
   * rethrown here.
   *
   * @throws StorageException when the writer is closed
   */
  public void run(Runnable action) {
    if (closed) {
      throw new StorageException(store + " is closed");
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    queue.add(new Task(action, done));
    try {
      done.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** Bytes of queued writes not yet written. */
  public long pendingBytes() {
    return pendingBytes.get();
  }

  private RejectedExecutionException closedError() {
    return new RejectedExecutionException(store + " is closed");
  }

  @SuppressWarnings("unchecked")
  private void run() {
    List<Pending<T>> group = new ArrayList<>();
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
        Pending<T> p = (Pending<T>) first;
        group.add(p);
        long weight = committer.weight(p.write);
        // Only writes that follow each other: a task waits for the writes queued before it.
        while (weight < maxGroupWeight && queue.peek() instanceof Pending<?> next) {
          queue.poll();
          group.add((Pending<T>) next);
          weight += committer.weight((T) next.write);
        }
        writeGroup(group);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } finally {
        group.clear();
      }
    }
    Object o;
    while ((o = queue.poll()) != null) {
      if (o instanceof Pending<?> p) {
        p.done.completeExceptionally(closedError());
      } else {
        ((Task) o).done.completeExceptionally(new StorageException(store + " is closed"));
      }
    }
  }

  private static void runTask(Task t) {
    try {
      t.action.run();
      t.done.complete(null);
    } catch (RuntimeException e) {
      t.done.completeExceptionally(e);
    }
  }

  private void writeGroup(List<Pending<T>> group) {
    List<T> writes = new ArrayList<>(group.size());
    for (Pending<T> p : group) {
      writes.add(p.write);
    }
    Throwable failure = null;
    int records = 0;
    try {
      BatchBuilder batch = committer.batch(writes);
      records = batch.count();
      if (records > 0) {
        try (WriteBatch wb = new WriteBatch(batch.toBytes())) {
          db.write(writeOptions, wb);
        }
      }
    } catch (RocksDBException | RuntimeException e) {
      log.error("{} write of {} records failed", store, records, e);
      failure = e;
    }
    try {
      committer.written(writes, failure);
    } catch (RuntimeException e) {
      log.error("{} writer failed", store, e);
      failure = failure != null ? failure : e;
    }
    for (Pending<T> p : group) {
      pendingBytes.addAndGet(-p.bytes);
      if (failure == null) {
        p.done.complete(null);
      } else {
        p.done.completeExceptionally(failure instanceof StorageException se ? se
            : new StorageException(store + " write failed: " + failure.getMessage(), failure));
      }
    }
    try {
      committer.afterGroup();
    } catch (RuntimeException e) {
      log.error("{} writer failed", store, e);
    }
  }

  /** Stops accepting, writes what is queued, and waits (at most a minute) for the thread. */
  @Override
  public void close() {
    closed = true;
    if (thread.isAlive()) {
      try {
        thread.join(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (!thread.isAlive()) {
      writeOptions.close();
    }
  }
}
