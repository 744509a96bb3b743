package dev.sextant.storage.internal.index;

import dev.sextant.storage.StorageException;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.FSDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Lucene index with near-real-time search and periodic commits. Each commit records a
 * caller-defined watermark in its user data, so after a crash the owner knows from where to re-index
 * the derived documents (the data itself lives in RocksDB).
 *
 * <p>Once {@link #startBackgroundTasks() started}, a background thread refreshes the searcher every
 * second and commits every {@code commitIntervalMillis}; {@link #search} also refreshes first, so a
 * search sees every document added before it started.
 */
public final class LuceneIndex implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(LuceneIndex.class);
  /** The commit user data key of the watermark. */
  public static final String WATERMARK = "watermark";
  static final String SEALED = "sealed";

  /** A search over one point-in-time searcher. */
  @FunctionalInterface
  public interface SearchFunction<T> {
    T apply(IndexSearcher searcher) throws IOException;
  }

  private final String name;
  private final FSDirectory dir;
  private final IndexWriter writer;
  private final SearcherManager manager;
  private final ScheduledExecutorService timer;
  private final boolean ownTimer;
  private final List<ScheduledFuture<?>> tasks =
      new CopyOnWriteArrayList<>();
  private final boolean openedSealed;
  private volatile boolean sealed;
  private final LongSupplier watermark;
  private final LongConsumer onCommit;
  private final OptionalLong openedWatermark;
  private final long commitIntervalMillis;
  private long lastCommitted = Long.MIN_VALUE;
  private volatile boolean closed;

  /**
   * How an index is tuned: the defaults suit small documents searched often (logs); a write-heavy
   * index (spans) refreshes less and avoids compound files, which copy every flushed byte once more.
   *
   * @param refreshIntervalMillis the background refresh period; searches refresh first anyway
   * @param ramBufferMb the indexing buffer; a larger one flushes fewer, larger segments
   * @param compoundFiles whether segments are packed into compound files
   * @param segmentsPerTier the merge policy's fan-out: more merges fewer times (an index merged
   *     whole when sealed gains little from merging often before)
   * @param commitTags written into every commit's user data (e.g. a schema version)
   */
  public record Options(long refreshIntervalMillis, double ramBufferMb, boolean compoundFiles,
      int segmentsPerTier, Map<String, String> commitTags) {
    public static final Options DEFAULTS = new Options(1000, 32, true, 10, Map.of());
  }

  private final Options options;

  private LuceneIndex(String name, Path path, Analyzer analyzer, long commitIntervalMillis,
      LongSupplier watermark, LongConsumer onCommit, ScheduledExecutorService sharedTimer,
      Options options) throws IOException {
    this.name = name;
    this.options = options;
    this.watermark = watermark;
    this.onCommit = onCommit;
    dir = FSDirectory.open(path);
    IndexWriterConfig config = new IndexWriterConfig(analyzer)
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
        .setRAMBufferSizeMB(options.ramBufferMb())
        .setUseCompoundFile(options.compoundFiles());
    if (!options.compoundFiles()) {
      config.getMergePolicy().setNoCFSRatio(0);
    }
    if (options.segmentsPerTier() != 10
        && config.getMergePolicy() instanceof TieredMergePolicy tiered) {
      tiered.setSegmentsPerTier(options.segmentsPerTier());
      tiered.setMaxMergeAtOnce(options.segmentsPerTier());
    }
    writer = new IndexWriter(dir, config);
    String w = null;
    boolean wasSealed = false;
    if (writer.getLiveCommitData() != null) {
      for (Map.Entry<String, String> e : writer.getLiveCommitData()) {
        if (e.getKey().equals(WATERMARK)) {
          w = e.getValue();
        } else if (e.getKey().equals(SEALED)) {
          wasSealed = true;
        }
      }
    }
    openedSealed = wasSealed;
    sealed = wasSealed;
    openedWatermark = w == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(w));
    manager = new SearcherManager(writer, null);
    this.commitIntervalMillis = commitIntervalMillis;
    ownTimer = sharedTimer == null;
    timer = ownTimer ? Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sextant-" + name + "-index");
      t.setDaemon(true);
      return t;
    }) : sharedTimer;
  }

  /**
   * Starts the periodic refresh and commit. Separate from opening so the owner can first re-index
   * what the last commit missed, before any commit records a watermark.
   */
  public void startBackgroundTasks() {
    tasks.add(timer.scheduleWithFixedDelay(this::refreshQuietly, options.refreshIntervalMillis(),
        options.refreshIntervalMillis(), TimeUnit.MILLISECONDS));
    tasks.add(timer.scheduleWithFixedDelay(this::commitQuietly, commitIntervalMillis,
        commitIntervalMillis, TimeUnit.MILLISECONDS));
  }

  /**
   * Opens or creates the index in {@code path}.
   *
   * @param watermark read just before each commit; every document added before the read must be
   *     covered by the value (the owner's definition)
   * @param onCommit told the watermark once its commit is durable
   */
  public static LuceneIndex open(String name, Path path, Analyzer analyzer, long commitIntervalMillis,
      LongSupplier watermark, LongConsumer onCommit) {
    return open(name, path, analyzer, commitIntervalMillis, watermark, onCommit, null);
  }

  /**
   * As {@link #open(String, Path, Analyzer, long, LongSupplier, LongConsumer)}, running the
   * periodic refresh and commit on {@code sharedTimer} (not shut down by {@link #close()}) when it
   * is not null: one thread serves the indexes of every block.
   */
  public static LuceneIndex open(String name, Path path, Analyzer analyzer, long commitIntervalMillis,
      LongSupplier watermark, LongConsumer onCommit, ScheduledExecutorService sharedTimer) {
    return open(name, path, analyzer, commitIntervalMillis, watermark, onCommit, sharedTimer,
        Options.DEFAULTS);
  }

  /** As {@link #open(String, Path, Analyzer, long, LongSupplier, LongConsumer,
   * ScheduledExecutorService)}, tuned by {@code options}. */
  public static LuceneIndex open(String name, Path path, Analyzer analyzer, long commitIntervalMillis,
      LongSupplier watermark, LongConsumer onCommit, ScheduledExecutorService sharedTimer,
      Options options) {
    try {
      return new LuceneIndex(name, path, analyzer, commitIntervalMillis, watermark, onCommit,
          sharedTimer, options);
    } catch (IOException e) {
      throw new StorageException("cannot open " + name + " index in " + path + ": " + e, e);
    }
  }

  public IndexWriter writer() {
    return writer;
  }

  /** The watermark of the commit found at open; empty when the index had no commit (new or lost). */
  public OptionalLong openedWatermark() {
    return openedWatermark;
  }

  /** Runs {@code fn} on a searcher that sees every document added before this call. */
  public <T> T search(SearchFunction<T> fn) {
    IndexSearcher searcher;
    try {
      manager.maybeRefreshBlocking();
      searcher = manager.acquire();
    } catch (IOException e) {
      throw new StorageException(name + " index: " + e, e);
    }
    try {
      return fn.apply(searcher);
    } catch (IOException e) {
      throw new StorageException(name + " index search: " + e, e);
    } finally {
      try {
        manager.release(searcher);
      } catch (IOException e) {
        log.warn("{} index: releasing a searcher failed", name, e);
      }
    }
  }

  /** Commits if anything changed; returns the watermark now durable. */
  public synchronized long commit() {
    long w = watermark.getAsLong();
    try {
      // A sealed index is complete: only a late document makes a new commit worth writing.
      if ((!sealed && w != lastCommitted) || writer.hasUncommittedChanges()) {
        writer.setLiveCommitData(commitData(w, sealed));
        writer.commit();
        lastCommitted = w;
        onCommit.accept(w);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(name + " index commit", e);
    }
    return w;
  }

  private Iterable<Map.Entry<String, String>> commitData(long w, boolean sealed) {
    Map<String, String> data = new HashMap<>(options.commitTags);
    data.put(WATERMARK, Long.toString(w));
    if (sealed) {
      data.put(SEALED, "true");
    }
    return data.entrySet();
  }

  private void refreshQuietly() {
    if (closed) {
      return;
    }
    try {
      manager.maybeRefresh();
    } catch (IOException | RuntimeException e) {
      log.warn("{} index: refresh failed", name, e);
    }
  }

  private synchronized void commitQuietly() {
    if (closed) {
      return;
    }
    try {
      commit();
    } catch (RuntimeException e) {
      log.warn("{} index: commit failed", name, e);
    }
  }

  /** Closes without committing: the last commit stays as it was, for a failed open. */
  public void abandon() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    stopTimer(true);
    try {
      manager.close();
      writer.rollback();
      dir.close();
    } catch (IOException e) {
      log.warn("{} index: closing after a failed open", name, e);
    }
  }

  /** Stops the timer, commits, and closes; searches after this fail. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      stopTimer(false);
      commit();
      manager.close();
      writer.close();
      dir.close();
    } catch (IOException e) {
      throw new StorageException(name + " index close: " + e, e);
    }
  }

  private void stopTimer(boolean now) {
    for (ScheduledFuture<?> f : tasks) {
      f.cancel(false);
    }
    if (!ownTimer) {
      return;
    }
    if (now) {
      timer.shutdownNow();
      return;
    }
    timer.shutdown();
    try {
      timer.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether the last commit found at open was made after {@link #seal()}. */
  public boolean openedSealed() {
    return openedSealed;
  }

  /**
   * Merges the index into one segment and commits it marked sealed: the owner promises no more
   * documents are expected (a late one is still accepted and committed).
   */
  public synchronized void seal() {
    try {
      writer.forceMerge(1);
      sealed = true;
      long w = watermark.getAsLong();
      writer.setLiveCommitData(commitData(w, true));
      writer.commit();
      lastCommitted = w;
      onCommit.accept(w);
      manager.maybeRefresh();
    } catch (IOException e) {
      throw new StorageException(name + " index seal: " + e, e);
    }
  }

  /** Takes back {@link #seal()}: a late document arrived; commits go on as before sealing. */
  public void unseal() {
    sealed = false;
  }

  /** Merges into one segment without sealing (tools that measure a compacted store). */
  public synchronized void forceMerge() {
    try {
      writer.forceMerge(1);
      commit();
      manager.maybeRefresh();
    } catch (IOException e) {
      throw new StorageException(name + " index merge: " + e, e);
    }
  }

  /** Whether documents were added since the last commit. */
  public boolean hasUncommittedChanges() {
    return writer.hasUncommittedChanges();
  }

  /** A searcher seeing every document added before this call; give it back to {@link #release}. */
  public IndexSearcher acquire() {
    try {
      manager.maybeRefreshBlocking();
      return manager.acquire();
    } catch (IOException e) {
      throw new StorageException(name + " index: " + e, e);
    }
  }

  public void release(IndexSearcher searcher) {
    try {
      manager.release(searcher);
    } catch (IOException e) {
      log.warn("{} index: releasing a searcher failed", name, e);
    }
  }
}
