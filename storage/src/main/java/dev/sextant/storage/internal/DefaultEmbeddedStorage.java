package dev.sextant.storage.internal;

import dev.sextant.storage.LogConsumer;
import dev.sextant.storage.Retention;
import dev.sextant.storage.LogReader;
import dev.sextant.storage.SpanConsumer;
import dev.sextant.storage.SpanSearch;
import dev.sextant.storage.internal.logs.LogStore;
import dev.sextant.storage.internal.search.SpanIndexer;
import java.util.concurrent.TimeUnit;
import dev.sextant.storage.Storage;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.TraceReader;
import dev.sextant.storage.metrics.MetricReader;
import dev.sextant.storage.metrics.MetricStore;
import dev.sextant.storage.metrics.MetricWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The embedded storage: one RocksDB for traces, closed in reverse order of opening. */
public final class DefaultEmbeddedStorage implements Storage {
  private static final Logger log = LoggerFactory.getLogger(DefaultEmbeddedStorage.class);

  static {
    RocksDB.loadLibrary();
  }

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final RocksDB tracesDb;
  private final RocksSpanStore spanStore;
  private final GroupCommitWriter spanWriter;
  private final MetricStore metrics;
  private final SpanIndexer spanIndex;
  private final LogStore logs;
  private volatile boolean closed;

  private final Retention retention;
  private final java.util.concurrent.ScheduledExecutorService retentionJob;

  private DefaultEmbeddedStorage(Path dataDir, long maxPendingWriteBytes, Retention retention,
      java.time.Duration retentionInterval) throws RocksDBException, IOException {
    this.retention = retention;
    Path traces = Files.createDirectories(dataDir.resolve("traces"));
    DBOptions dbOptions = new DBOptions().setCreateIfMissing(true)
        .setCreateMissingColumnFamilies(true)
        .setKeepLogFileNum(3)
        .setMaxBackgroundJobs(2);
    closeables.add(dbOptions);
    ColumnFamilyOptions spanCf = new ColumnFamilyOptions()
        .useFixedLengthPrefixExtractor(RocksSpanStore.TRACE_ID_BYTES)
        .setCompressionType(CompressionType.LZ4_COMPRESSION)
        .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION)
        .setTableFormatConfig(new BlockBasedTableConfig()
            .setFilterPolicy(new BloomFilter(10))
            .setWholeKeyFiltering(false));
    closeables.add(spanCf);
    ColumnFamilyOptions defaultCf = new ColumnFamilyOptions();
    closeables.add(defaultCf);
    ColumnFamilyOptions ingestCf = new ColumnFamilyOptions()
        .setCompressionType(CompressionType.LZ4_COMPRESSION);
    closeables.add(ingestCf);
    List<ColumnFamilyDescriptor> cfs = List.of(
        new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, defaultCf),
        new ColumnFamilyDescriptor("spans".getBytes(StandardCharsets.UTF_8), spanCf),
        new ColumnFamilyDescriptor("span_ingest".getBytes(StandardCharsets.UTF_8), ingestCf));
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    tracesDb = RocksDB.open(dbOptions, traces.toString(), cfs, handles);
    closeables.add(tracesDb);
    closeables.addAll(handles);
    spanWriter = new GroupCommitWriter(tracesDb, "spans", maxPendingWriteBytes);
    // The ingest log is kept for the retention period (span retention reads it), which also
    // covers re-feeding the search index from its last commit.
    spanIndex = SpanIndexer.open(dataDir.resolve("search"));
    closeables.add(0, spanIndex); // closed last among these: after the DB handles
    spanStore = new RocksSpanStore(tracesDb, handles.get(1), handles.get(2), spanWriter,
        spanIndex::index);
    long reindexed = spanStore.reindexSince(spanIndex.recoveryPointUnixNano());
    if (reindexed > 0) {
      log.info("re-indexed {} spans written since the search index's last commit", reindexed);
    }
    logs = LogStore.open(dataDir.resolve("logs"), maxPendingWriteBytes);
    log.debug("opened trace store in {}", traces);
    metrics = MetricStore.builder(dataDir.resolve("metrics"))
        .maxPendingBytes(maxPendingWriteBytes).build();
    // Started last: its first run (right away) touches every store.
    retentionJob = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sextant-retention");
      t.setDaemon(true);
      return t;
    });
    retentionJob.scheduleWithFixedDelay(this::applyRetentionQuietly, 0,
        retentionInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  public static Storage open(Path dataDir, long maxPendingWriteBytes, Retention retention,
      java.time.Duration retentionInterval) {
    try {
      return new DefaultEmbeddedStorage(dataDir, maxPendingWriteBytes, retention,
          retentionInterval);
    } catch (RocksDBException | IOException e) {
      throw new StorageException("cannot open storage in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public SpanConsumer spanConsumer() {
    return spanStore;
  }

  @Override
  public TraceReader traceReader() {
    return spanStore;
  }

  @Override
  public SpanSearch spanSearch() {
    return spanIndex;
  }

  @Override
  public LogConsumer logConsumer() {
    return logs;
  }

  @Override
  public LogReader logReader() {
    return logs;
  }

  @Override
  public MetricWriter metricWriter() {
    return metrics;
  }

  @Override
  public MetricReader metricReader() {
    return metrics;
  }

  /**
   * Drops whatever is older than its signal's retention: spans by write time (and their index
   * documents by start time), logs by time, metric chunks by sample time.
   */
  public void applyRetention(long nowMillis) {
    long nowNanos = nowMillis * 1_000_000L;
    long traceCut = nowNanos - retention.traces().toNanos();
    long spans = spanStore.deleteWrittenBefore(traceCut);
    spanIndex.deleteBefore(traceCut);
    logs.deleteBefore(nowNanos - retention.logs().toNanos());
    metrics.deleteBefore(nowMillis - retention.metrics().toMillis());
    if (spans > 0) {
      spanStore.compact();
      log.info("retention: dropped {} spans written more than {} ago", spans, retention.traces());
    }
  }

  private void applyRetentionQuietly() {
    try {
      if (!closed) {
        applyRetention(System.currentTimeMillis());
      }
    } catch (RuntimeException e) {
      log.warn("retention run failed: {}", e.toString());
    }
  }

  @Override
  public void check() {
    if (closed) {
      throw new StorageException("storage is closed");
    }
    try {
      tracesDb.getProperty("rocksdb.estimate-num-keys");
    } catch (RocksDBException e) {
      throw new StorageException("trace store unhealthy: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    retentionJob.shutdownNow();
    try {
      retentionJob.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    spanWriter.close();
    spanStore.close();
    metrics.close();
    logs.close();
    // Handles before the DB, the DB before its options: reverse of opening order.
    List<AutoCloseable> reversed = new ArrayList<>(closeables);
    java.util.Collections.reverse(reversed);
    for (AutoCloseable c : reversed) {
      try {
        c.close();
      } catch (Exception e) {
        log.warn("error closing storage resource", e);
      }
    }
  }
}
