package dev.sextant.storage.internal.metrics;

import dev.sextant.storage.StorageException;
import dev.sextant.storage.internal.kv.Block;
import dev.sextant.storage.internal.kv.BlockFamilies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics RocksDB: column families {@code series} (id → labels), {@code wal} (write group
 * sequence → {@link WalRecord}: the durable copy of head samples), and one {@code chunks@<block>}
 * per block of sample time (id + min time → Gorilla chunk; a chunk never straddles two blocks).
 * The default column family marks sealed blocks ({@code sealed/<block>}).
 *
 * <p>Readers of block handles hold {@link #blocksLock}'s read lock; dropping a block takes the
 * write lock, so no iterator outlives its column family.
 */
final class MetricDb implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MetricDb.class);
  static final String PREFIX = "chunks@";
  private static final String SEALED = "sealed/";

  final RocksDB db;
  final ColumnFamilyHandle series;
  final ColumnFamilyHandle wal;
  final long blockMillis;
  final ReentrantReadWriteLock blocksLock = new ReentrantReadWriteLock();
  private final ConcurrentSkipListMap<Block, ColumnFamilyHandle> blocks =
      new ConcurrentSkipListMap<>();
  private final ConcurrentSkipListMap<Block, Boolean> sealed = new ConcurrentSkipListMap<>();
  private final List<ColumnFamilyHandle> handles;
  private final ColumnFamilyOptions chunkOpts;
  private final List<AutoCloseable> options = new ArrayList<>();

  private MetricDb(RocksDB db, List<ColumnFamilyHandle> handles, long blockMillis,
      ColumnFamilyOptions chunkOpts) {
    this.db = db;
    this.handles = handles;
    this.series = handles.get(1);
    this.wal = handles.get(2);
    this.blockMillis = blockMillis;
    this.chunkOpts = chunkOpts;
  }

  static MetricDb open(Path dir, long blockMillis) {
    RocksDB.loadLibrary();
    List<AutoCloseable> opts = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      DBOptions db = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
          // The series CF is rarely written; cap the WAL so its memtable gets flushed anyway.
          .setMaxTotalWalSize(128L << 20).setKeepLogFileNum(4).setMaxBackgroundJobs(2);
      opts.add(db);
      ColumnFamilyOptions def = new ColumnFamilyOptions();
      ColumnFamilyOptions seriesOpts = new ColumnFamilyOptions()
          .setCompressionType(CompressionType.LZ4_COMPRESSION);
      // One record per write group, deleted within about a chunk span: no compression.
      ColumnFamilyOptions walOpts = new ColumnFamilyOptions()
          .setCompressionType(CompressionType.NO_COMPRESSION).setWriteBufferSize(64L << 20);
      BlockBasedTableConfig chunkTable = new BlockBasedTableConfig().setBlockSize(32 << 10);
      ColumnFamilyOptions chunkOpts = new ColumnFamilyOptions()
          .setCompressionType(CompressionType.LZ4_COMPRESSION)
          .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION)
          .setTableFormatConfig(chunkTable);
      opts.addAll(List.of(def, seriesOpts, walOpts, chunkOpts));
      List<String> existing = BlockFamilies.existing(dir);
      List<Block> blocks = BlockFamilies.blocks(existing, PREFIX);
      List<ColumnFamilyDescriptor> cfs = new ArrayList<>(List.of(
          new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, def),
          new ColumnFamilyDescriptor("series".getBytes(StandardCharsets.UTF_8), seriesOpts),
          new ColumnFamilyDescriptor("wal".getBytes(StandardCharsets.UTF_8), walOpts)));
      for (Block b : blocks) {
        cfs.add(BlockFamilies.descriptor(PREFIX, b, chunkOpts));
      }
      int known = cfs.size();
      BlockFamilies.addUnknown(cfs, existing, def, dir);
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      RocksDB rdb = RocksDB.open(db, dir.toString(), cfs, handles);
      // Families this version does not use stay open (closed with the first three) and unread.
      List<ColumnFamilyHandle> own = new ArrayList<>(handles.subList(0, 3));
      own.addAll(handles.subList(known, handles.size()));
      MetricDb m = new MetricDb(rdb, own, blockMillis, chunkOpts);
      m.options.addAll(opts);
      for (Map.Entry<Block, ColumnFamilyHandle> e
          : BlockFamilies.pair(blocks, handles, 3).entrySet()) {
        m.blocks.put(e.getKey(), e.getValue());
        if (rdb.get((SEALED + e.getKey().name()).getBytes(StandardCharsets.UTF_8)) != null) {
          m.sealed.put(e.getKey(), true);
        }
      }
      return m;
    } catch (RocksDBException | IOException e) {
      closeAll(opts);
      throw new StorageException("cannot open metric store in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The chunk column family of the block holding {@code minTime}, created when missing. */
  ColumnFamilyHandle chunksFor(long minTime) throws RocksDBException {
    Block b = Block.containing(minTime, blockMillis);
    ColumnFamilyHandle h = blocks.get(b);
    if (h == null) {
      synchronized (this) {
        h = blocks.get(b);
        if (h == null) {
          h = db.createColumnFamily(BlockFamilies.descriptor(PREFIX, b, chunkOpts));
          blocks.put(b, h);
        }
      }
    }
    if (sealed.remove(b) != null) {
      // A late chunk (a backfilled series): sealing compacts the block again.
      db.delete((SEALED + b.name()).getBytes(StandardCharsets.UTF_8));
    }
    return h;
  }

  /**
   * Chunk column families of the blocks overlapping {@code [minTime, maxTime]}, oldest first.
   * Call under {@link #blocksLock}'s read lock.
   */
  List<ColumnFamilyHandle> chunks(long minTime, long maxTime) {
    List<ColumnFamilyHandle> out = new ArrayList<>();
    for (Map.Entry<Block, ColumnFamilyHandle> e : blocks.entrySet()) {
      Block b = e.getKey();
      if (b.startMillis() <= maxTime && b.endMillis() > minTime) {
        out.add(e.getValue());
      }
    }
    return out;
  }

  /** Start of the oldest block, or {@code Long.MAX_VALUE} when there is none. */
  long firstBlockStart() {
    return blocks.isEmpty() ? Long.MAX_VALUE : blocks.firstKey().startMillis();
  }

  /** Drops every block that ended at or before {@code cut} whole; returns how many. */
  int dropBlocksBefore(long cut) throws RocksDBException {
    blocksLock.writeLock().lock();
    try {
      int n = 0;
      for (Block b : new ArrayList<>(blocks.keySet())) {
        if (b.endMillis() <= cut) {
          ColumnFamilyHandle h = blocks.remove(b);
          db.dropColumnFamily(h);
          h.close();
          sealed.remove(b);
          db.delete((SEALED + b.name()).getBytes(StandardCharsets.UTF_8));
          log.info("retention: dropped metric block {}", b.name());
          n++;
        }
      }
      return n;
    } finally {
      blocksLock.writeLock().unlock();
    }
  }

  /**
   * Seals the blocks that ended at or before {@code cut}: rewrites them into the bottommost level
   * (ZSTD). A chunk written into a sealed block later unseals it until the next call.
   */
  int seal(long cut) throws RocksDBException {
    int n = 0;
    for (Map.Entry<Block, ColumnFamilyHandle> e : blocks.entrySet()) {
      Block b = e.getKey();
      if (b.endMillis() <= cut && !sealed.containsKey(b)) {
        compact(e.getValue());
        sealed.put(b, true);
        db.put((SEALED + b.name()).getBytes(StandardCharsets.UTF_8), new byte[0]);
        n++;
      }
    }
    return n;
  }

  /** Names of the sealed blocks (tests). */
  List<String> sealedBlocks() {
    List<String> out = new ArrayList<>();
    for (Block b : sealed.keySet()) {
      out.add(b.name());
    }
    return out;
  }

  /** Names of every block (tests). */
  List<String> blockNames() {
    List<String> out = new ArrayList<>();
    for (Block b : blocks.keySet()) {
      out.add(b.name());
    }
    return out;
  }

  private void compact(ColumnFamilyHandle h) throws RocksDBException {
    try (CompactRangeOptions o = new CompactRangeOptions()
        .setBottommostLevelCompaction(CompactRangeOptions.BottommostLevelCompaction.kForce)) {
      db.compactRange(h, null, null, o);
    }
  }

  /** Flushes memtables and compacts every column family (drops deleted WAL records). */
  void compact() {
    try {
      for (ColumnFamilyHandle h : handles) {
        db.compactRange(h);
      }
      for (ColumnFamilyHandle h : blocks.values()) {
        compact(h);
      }
    } catch (RocksDBException e) {
      throw new StorageException("metric store compaction failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    for (ColumnFamilyHandle h : blocks.values()) {
      h.close();
    }
    for (ColumnFamilyHandle h : handles) {
      h.close();
    }
    db.close();
    closeAll(options);
  }

  private static void closeAll(List<AutoCloseable> list) {
    for (AutoCloseable c : list) {
      try {
        c.close();
      } catch (Exception ignored) {
        // best effort on shutdown
      }
    }
  }
}
