package dev.sextant.storage.internal;

import dev.sextant.storage.LogConsumer;
import dev.sextant.storage.LogReader;
import dev.sextant.storage.Retention;
import dev.sextant.storage.SpanConsumer;
import dev.sextant.storage.SpanSearch;
import dev.sextant.storage.Storage;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.TraceReader;
import dev.sextant.storage.internal.blocks.Block;
import dev.sextant.storage.internal.blocks.BlockFamilies;
import dev.sextant.storage.internal.logs.LogStore;
import dev.sextant.storage.internal.metrics.TsdbStore;
import dev.sextant.storage.metrics.MetricReader;
import dev.sextant.storage.metrics.MetricStore;
import dev.sextant.storage.metrics.MetricWriter;
import dev.sextant.storage.metrics.SeriesLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionOptions;
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
  private final SpanBlocks spanBlocks;
  private final RocksSpanStore spanStore;
  private final BlockSpanSearch spanSearch;
  private final GroupCommitWriter spanWriter;
  private final MetricStore metrics;
  private final LogStore logs;
  private final LongSupplier nowMillis;
  private final long blockMillis;
  private volatile boolean closed;

  private final Retention retention;
  private final ScheduledExecutorService retentionJob;

  private DefaultEmbeddedStorage(Path dataDir, long maxPendingWriteBytes, Retention retention,
      Duration retentionInterval, Duration blockDuration,
      LongSupplier nowMillis, SeriesLimits seriesLimits) throws RocksDBException, IOException {
    this.retention = retention;
    this.nowMillis = nowMillis;
    this.blockMillis = blockDuration.toMillis();
    Path traces = Files.createDirectories(dataDir.resolve("traces"));
    DBOptions dbOptions = new DBOptions().setCreateIfMissing(true)
        .setCreateMissingColumnFamilies(true)
        .setKeepLogFileNum(3)
        // Column families that stop being written (ended blocks, the small default one) would
        // otherwise pin every WAL file since their last flush; over this, RocksDB flushes them.
        .setMaxTotalWalSize(128L << 20)
        .setMaxBackgroundJobs(2);
    closeables.add(dbOptions);
    ColumnFamilyOptions spanCf = spanBlockOptions();
    closeables.add(spanCf);
    ColumnFamilyOptions defaultCf = new ColumnFamilyOptions();
    closeables.add(defaultCf);
    ColumnFamilyOptions ingestCf = new ColumnFamilyOptions()
        .setCompressionType(CompressionType.LZ4_COMPRESSION);
    closeables.add(ingestCf);
    List<String> existing = BlockFamilies.existing(traces);
    List<Block> blocks = BlockFamilies.blocks(existing, SpanBlocks.PREFIX);
    List<ColumnFamilyDescriptor> cfs = new ArrayList<>(List.of(
        new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, defaultCf),
        new ColumnFamilyDescriptor(INGEST, ingestCf)));
    for (Block b : blocks) {
      cfs.add(BlockFamilies.descriptor(SpanBlocks.PREFIX, b, spanCf));
    }
    List<String> legacy = new ArrayList<>();
    for (String name : existing) {
      if (name.equals("spans") || name.equals("span_ingest")) {
        legacy.add(name);
        cfs.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), defaultCf));
      }
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    tracesDb = RocksDB.open(dbOptions, traces.toString(), cfs, handles);
    closeables.add(tracesDb);
    dropLegacy(handles.subList(handles.size() - legacy.size(), handles.size()));
    closeables.addAll(handles.subList(0, 2 + blocks.size()));
    spanWriter = new GroupCommitWriter(tracesDb, "spans", maxPendingWriteBytes);
    spanBlocks = new SpanBlocks(tracesDb, spanCf, dataDir.resolve("search"), blockMillis,
        BlockFamilies.pair(blocks, handles, 2));
    spanStore = new RocksSpanStore(tracesDb, handles.get(1), spanWriter, spanBlocks, nowMillis);
    spanSearch = new BlockSpanSearch(spanStore, spanBlocks);
    long reindexed = spanStore.recover();
    // Created now rather than by the first write, which would wait for it.
    spanBlocks.current(nowMillis.getAsLong());
    if (reindexed > 0) {
      log.info("re-indexed {} spans missing from the search indexes' last commits", reindexed);
    }
    logs = LogStore.open(dataDir.resolve("logs"), maxPendingWriteBytes, 5_000, blockMillis);
    log.debug("opened trace store in {} with {} blocks", traces, blocks.size());
    metrics = MetricStore.builder(dataDir.resolve("metrics"))
        .blockDurationMillis(blockMillis).maxPendingBytes(maxPendingWriteBytes)
        .limits(seriesLimits).build();
    // Started last: its first run (right away) touches every store.
    retentionJob = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sextant-retention");
      t.setDaemon(true);
      return t;
    });
    retentionJob.scheduleWithFixedDelay(this::applyRetentionQuietly, 0,
        retentionInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static final byte[] INGEST = "ingest".getBytes(StandardCharsets.UTF_8);

  /**
   * Span block column families: a prefix bloom filter on the trace ID makes probing a block that
   * lacks a trace cheap; LZ4 while the block is written; once sealing compacts it to the
   * bottommost level, ZSTD with a dictionary trained on the block, which learns the attribute
   * keys and common values that repeat from span to span. 64 KiB blocks: sealed spans take about
   * 36 B each, so a block holds a couple of thousand of them for ZSTD to find repeats in
   * (1.5% smaller than 16 KiB), and a 1,000-span trace is still one or two blocks to read.
   */
  private static ColumnFamilyOptions spanBlockOptions() {
    return new ColumnFamilyOptions()
        .useFixedLengthPrefixExtractor(RocksSpanStore.TRACE_ID_BYTES)
        .setMemtablePrefixBloomSizeRatio(0.05)
        .setCompressionType(CompressionType.LZ4_COMPRESSION)
        .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION)
        .setBottommostCompressionOptions(new CompressionOptions()
            .setEnabled(true).setLevel(6)
            .setMaxDictBytes(64 << 10).setZStdMaxTrainBytes(64 << 10 << 6))
        .setTableFormatConfig(new BlockBasedTableConfig()
            .setBlockSize(64 << 10)
            .setFilterPolicy(new BloomFilter(10))
            .setWholeKeyFiltering(false));
  }

  // Spans stored before blocks existed: this pre-release format is dropped, not migrated.
  private void dropLegacy(List<ColumnFamilyHandle> legacy) throws RocksDBException {
    for (ColumnFamilyHandle h : legacy) {
      log.warn("dropping spans stored in the pre-block format ({})",
          new String(h.getName(), StandardCharsets.UTF_8));
      tracesDb.dropColumnFamily(h);
      h.close();
    }
  }

  public static Storage open(Path dataDir, long maxPendingWriteBytes, Retention retention,
      Duration retentionInterval) {
    return open(dataDir, maxPendingWriteBytes, retention, retentionInterval,
        Duration.ofHours(2), System::currentTimeMillis);
  }

  /**
   * Opens the storage.
   *
   * @param blockDuration time span of one block of every signal
   * @param nowMillis the clock that picks blocks and decides what expired (tests move it)
   */
  public static Storage open(Path dataDir, long maxPendingWriteBytes, Retention retention,
      Duration retentionInterval, Duration blockDuration,
      LongSupplier nowMillis) {
    return open(dataDir, maxPendingWriteBytes, retention, retentionInterval, blockDuration,
        nowMillis, SeriesLimits.UNLIMITED);
  }

  /** As above, with limits on new metric series. */
  public static Storage open(Path dataDir, long maxPendingWriteBytes, Retention retention,
      Duration retentionInterval, Duration blockDuration,
      LongSupplier nowMillis, SeriesLimits seriesLimits) {
    try {
      return new DefaultEmbeddedStorage(dataDir, maxPendingWriteBytes, retention,
          retentionInterval, blockDuration, nowMillis, seriesLimits);
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
    return spanSearch;
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
   * One maintenance pass, as the periodic job runs it: drops the span blocks written more than the
   * trace retention before {@code nowMillis} (whole: column family and index directory), seals
   * the span blocks that ended more than {@link #sealGraceMillis()} ago, trims the span ingest
   * log, and drops and seals log blocks (by record time) and metric blocks (by sample time)
   * likewise.
   */
  public void applyRetention(long nowMillis) {
    spanStore.dropBlocksBefore(nowMillis - retention.traces().toMillis());
    spanStore.seal(nowMillis, sealGraceMillis());
    spanStore.trimIngestLog();
    logs.dropBlocksBefore(nowMillis - retention.logs().toMillis());
    logs.seal(nowMillis, sealGraceMillis());
    metrics.deleteBefore(nowMillis - retention.metrics().toMillis());
    if (metrics instanceof TsdbStore tsdb) {
      tsdb.seal(nowMillis - sealGraceMillis());
    }
  }

  /**
   * How long after its end a block is sealed: long enough for writes accepted just before the end
   * to be durable and indexed. A tenth of the block duration, at least a second, at most 5 minutes.
   */
  public long sealGraceMillis() {
    return Math.max(1000, Math.min(blockMillis / 10, 5 * 60_000L));
  }

  /**
   * Compacts every span block and merges its index, and cuts and compacts every metric head now,
   * sealed or not: what a tool measuring disk use per item calls before measuring.
   */
  public void compactNow() {
    spanStore.compactAll();
    if (metrics instanceof TsdbStore tsdb) {
      tsdb.flushHeads();
      tsdb.compactDisk();
    }
  }

  /** Per span block (by name), how many searches read its index: which blocks a query skipped. */
  Map<String, Long> spanBlockSearches() {
    Map<String, Long> out = new TreeMap<>();
    for (SpanBlock b : spanBlocks.newestFirst()) {
      out.put(b.block.name(), b.searches.get());
    }
    return out;
  }

  /** The span blocks (tests). */
  SpanBlocks spanBlocks() {
    return spanBlocks;
  }

  /** Names of the sealed span blocks (tests). */
  Set<String> sealedSpanBlocks() {
    Set<String> out = new TreeSet<>();
    for (SpanBlock b : spanBlocks.newestFirst()) {
      if (b.sealed) {
        out.add(b.block.name());
      }
    }
    return out;
  }

  private void applyRetentionQuietly() {
    try {
      if (!closed) {
        applyRetention(nowMillis.getAsLong());
      }
    } catch (RuntimeException e) {
      log.warn("retention run failed: {}", e.toString());
    }
  }

  @Override
  public long unindexedRecords() {
    return spanBlocks.unindexed.count() + logs.unindexed().count();
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
    // Not shutdownNow(): interrupting a running seal closes the Lucene lock's FileChannel
    // (NIO closes a channel on interrupt), and the index then cannot commit on close.
    retentionJob.shutdown();
    try {
      retentionJob.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    spanWriter.close();
    spanStore.close();
    spanBlocks.close();
    for (ColumnFamilyHandle h : spanBlocks.handles()) {
      h.close();
    }
    metrics.close();
    logs.close();
    // Handles before the DB, the DB before its options: reverse of opening order.
    List<AutoCloseable> reversed = new ArrayList<>(closeables);
    Collections.reverse(reversed);
    for (AutoCloseable c : reversed) {
      try {
        c.close();
      } catch (Exception e) {
        log.warn("error closing storage resource", e);
      }
    }
  }
}
