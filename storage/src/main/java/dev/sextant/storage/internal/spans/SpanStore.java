package dev.sextant.storage.internal.spans;

import dev.sextant.storage.SpanConsumer;
import dev.sextant.storage.SpanSearch;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.TraceReader;
import dev.sextant.storage.internal.kv.BatchBuilder;
import dev.sextant.storage.internal.kv.Block;
import dev.sextant.storage.internal.kv.BlockFamilies;
import dev.sextant.storage.internal.kv.GroupCommitWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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

/**
 * The span store, as the embedded storage opens it: the trace RocksDB (the default column family
 * for block bounds and dictionaries, {@code ingest} for the ingest log, one {@code spans@<block>}
 * per block), the block indexes, the group-commit writer, and the consumer, reader and search over
 * them. Closed in reverse order of opening.
 */
public final class SpanStore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SpanStore.class);
  private static final byte[] INGEST = "ingest".getBytes(StandardCharsets.UTF_8);
  static final int L0_COMPACTION_TRIGGER = 10;

  static {
    RocksDB.loadLibrary();
  }

  private final List<AutoCloseable> closeables;
  private final RocksDB db;
  private final GroupCommitWriter<BatchBuilder> writer;
  private final SpanBlocks blocks;
  private final RocksSpanStore store;
  private final BlockSpanSearch search;

  private SpanStore(List<AutoCloseable> closeables, RocksDB db,
      GroupCommitWriter<BatchBuilder> writer, SpanBlocks blocks, RocksSpanStore store) {
    this.closeables = closeables;
    this.db = db;
    this.writer = writer;
    this.blocks = blocks;
    this.store = store;
    this.search = new BlockSpanSearch(store, blocks);
  }

  /**
   * Opens or creates the store, re-indexing what the block indexes' last commits missed.
   *
   * @param dir the trace RocksDB
   * @param indexDir the block indexes, one directory per block
   * @param maxPendingWriteBytes bytes of accepted, not yet durable writes over which writes are
   *     refused
   * @param blockMillis time span of a block (by write time)
   * @param nowMillis picks the block a write goes to
   */
  public static SpanStore open(Path dir, Path indexDir, long maxPendingWriteBytes,
      long blockMillis, LongSupplier nowMillis) throws RocksDBException, IOException {
    Files.createDirectories(dir);
    List<AutoCloseable> closeables = new ArrayList<>();
    DBOptions dbOptions = new DBOptions().setCreateIfMissing(true)
        .setCreateMissingColumnFamilies(true)
        .setKeepLogFileNum(3)
        // Column families that stop being written (ended blocks, the small default one) would
        // otherwise pin every WAL file since their last flush; over this, RocksDB flushes them.
        .setMaxTotalWalSize(128L << 20)
        .setMaxBackgroundJobs(2);
    closeables.add(dbOptions);
    ColumnFamilyOptions spanCf = blockOptions();
    closeables.add(spanCf);
    ColumnFamilyOptions defaultCf = new ColumnFamilyOptions();
    closeables.add(defaultCf);
    ColumnFamilyOptions ingestCf = new ColumnFamilyOptions()
        .setCompressionType(CompressionType.LZ4_COMPRESSION);
    closeables.add(ingestCf);
    List<String> families = BlockFamilies.existing(dir);
    List<Block> existing = BlockFamilies.blocks(families, SpanBlocks.PREFIX);
    List<ColumnFamilyDescriptor> cfs = new ArrayList<>(List.of(
        new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, defaultCf),
        new ColumnFamilyDescriptor(INGEST, ingestCf)));
    for (Block b : existing) {
      cfs.add(BlockFamilies.descriptor(SpanBlocks.PREFIX, b, spanCf));
    }
    int known = cfs.size();
    BlockFamilies.addUnknown(cfs, families, defaultCf, dir);
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    RocksDB db = RocksDB.open(dbOptions, dir.toString(), cfs, handles);
    closeables.add(db);
    closeables.addAll(handles.subList(0, 2));
    closeables.addAll(handles.subList(known, handles.size()));
    GroupCommitWriter<BatchBuilder> writer =
        GroupCommitWriter.forBatches(db, "spans", maxPendingWriteBytes);
    SpanBlocks blocks = new SpanBlocks(db, spanCf, indexDir, blockMillis,
        BlockFamilies.pair(existing, handles, 2));
    RocksSpanStore store = new RocksSpanStore(db, handles.get(1), writer, blocks, nowMillis);
    long reindexed = store.recover();
    // Created now rather than by the first write, which would wait for it.
    blocks.current(nowMillis.getAsLong());
    if (reindexed > 0) {
      log.info("re-indexed {} spans missing from the search indexes' last commits", reindexed);
    }
    log.debug("opened trace store in {} with {} blocks", dir, existing.size());
    return new SpanStore(closeables, db, writer, blocks, store);
  }

  /**
   * Span block column families: a prefix bloom filter on the trace ID makes probing a block that
   * lacks a trace cheap; LZ4 while the block is written; once sealing compacts it to the
   * bottommost level, ZSTD with a dictionary trained on the block, which learns the attribute
   * keys and common values that repeat from span to span. 64 KiB blocks: sealed spans take about
   * 36 B each, so a block holds a couple of thousand of them for ZSTD to find repeats in
   * (1.5% smaller than 16 KiB), and a 1,000-span trace is still one or two blocks to read.
   *
   * <p>Compaction starts at {@value #L0_COMPACTION_TRIGGER} level-0 files rather than RocksDB's 4.
   * Trace IDs are random, so every flushed file overlaps the whole of the level below, and each
   * level-0 compaction rewrites all of it: the block was rewritten some 4 times before sealing
   * rewrites it once more, and the last of those compactions ran on after a load stopped
   * (RocksDB's compaction threads were the largest share of the server's CPU then). A trace read
   * probes each level-0 file's prefix bloom filter, which stays in memory.
   */
  private static ColumnFamilyOptions blockOptions() {
    return new ColumnFamilyOptions()
        .setLevel0FileNumCompactionTrigger(L0_COMPACTION_TRIGGER)
        // Writes slow down and stop as level-0 files pile up at the same distance as by default.
        .setLevel0SlowdownWritesTrigger(L0_COMPACTION_TRIGGER + 16)
        .setLevel0StopWritesTrigger(L0_COMPACTION_TRIGGER + 32)
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

  public SpanConsumer consumer() {
    return store;
  }

  public TraceReader reader() {
    return store;
  }

  public SpanSearch search() {
    return search;
  }

  /** Retention: drops whole every block that ended at or before {@code cutMillis}. */
  public void dropBlocksBefore(long cutMillis) {
    store.dropBlocksBefore(cutMillis);
  }

  /** Seals the blocks past their end plus {@code graceMillis}; see {@link SpanBlocks#seal}. */
  public void seal(long nowMillis, long graceMillis) {
    store.seal(nowMillis, graceMillis);
  }

  /** Drops the ingest-log entries no block index can need any more. */
  public void trimIngestLog() {
    store.trimIngestLog();
  }

  /** Rewrites, compacts and merges every block now, sealed or not (tools measuring disk use). */
  public void compactAll() {
    store.compactAll();
  }

  /** Spans left out of the search indexes since open. */
  public long unindexed() {
    return blocks.unindexed.count();
  }

  /** Cheap liveness probe of the trace RocksDB. */
  public void check() {
    try {
      db.getProperty("rocksdb.estimate-num-keys");
    } catch (RocksDBException e) {
      throw new StorageException("trace store unhealthy: " + e.getMessage(), e);
    }
  }

  /** Per span block (by name), how many searches read its index: which blocks a query skipped. */
  Map<String, Long> blockSearches() {
    Map<String, Long> out = new TreeMap<>();
    for (SpanBlock b : blocks.newestFirst()) {
      out.put(b.block.name(), b.searches.get());
    }
    return out;
  }

  /** Names of the sealed span blocks (tests). */
  Set<String> sealedBlocks() {
    Set<String> out = new TreeSet<>();
    for (SpanBlock b : blocks.newestFirst()) {
      if (b.sealed) {
        out.add(b.block.name());
      }
    }
    return out;
  }

  /** The span blocks (tests). */
  SpanBlocks blocks() {
    return blocks;
  }

  /**
   * Writes what is queued, waits for reads, commits and closes every index, then closes the
   * database: handles before the DB, the DB before its options.
   */
  @Override
  public void close() {
    writer.close();
    store.close();
    blocks.close();
    for (ColumnFamilyHandle h : blocks.handles()) {
      h.close();
    }
    List<AutoCloseable> reversed = new ArrayList<>(closeables);
    Collections.reverse(reversed);
    for (AutoCloseable c : reversed) {
      try {
        c.close();
      } catch (Exception e) {
        log.warn("error closing span store resource", e);
      }
    }
  }
}
