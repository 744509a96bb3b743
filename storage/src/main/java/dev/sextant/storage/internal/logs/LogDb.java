package dev.sextant.storage.internal.logs;

import dev.sextant.storage.LogRecord;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.internal.kv.BatchBuilder;
import dev.sextant.storage.internal.kv.Block;
import dev.sextant.storage.internal.kv.BlockFamilies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.CompactRangeOptions.BottommostLevelCompaction;
import org.rocksdb.CompressionOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log store's RocksDB: one column family {@code logs@<block>} of records per block of record
 * time, and {@code pending} (records perhaps not yet in an index commit). Callers serialise
 * {@link #drop} against readers (the store's lifecycle lock).
 */
final class LogDb {
  static final String PREFIX = "logs@";
  private static final Logger log = LoggerFactory.getLogger(LogDb.class);

  static {
    RocksDB.loadLibrary();
  }

  private final List<AutoCloseable> closeables;
  private final RocksDB db;
  private final ColumnFamilyHandle pending;
  private final int pendingId;
  final long blockMillis;
  private final ColumnFamilyOptions recordsCf;
  private final ConcurrentSkipListMap<Block, ColumnFamilyHandle> blocks =
      new ConcurrentSkipListMap<>();

  private LogDb(List<AutoCloseable> closeables, RocksDB db, List<ColumnFamilyHandle> handles,
      long blockMillis, ColumnFamilyOptions recordsCf) {
    this.closeables = closeables;
    this.db = db;
    this.pending = handles.get(1);
    this.pendingId = pending.getID();
    this.blockMillis = blockMillis;
    this.recordsCf = recordsCf;
  }

  static LogDb open(Path dir, long blockMillis) throws RocksDBException, IOException {
    Files.createDirectories(dir);
    List<AutoCloseable> closeables = new ArrayList<>();
    DBOptions options = new DBOptions().setCreateIfMissing(true)
        .setCreateMissingColumnFamilies(true).setKeepLogFileNum(3).setMaxBackgroundJobs(2);
    closeables.add(options);
    ColumnFamilyOptions recordsCf = new ColumnFamilyOptions()
        .setCompressionType(CompressionType.LZ4_COMPRESSION)
        .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION)
        .setBottommostCompressionOptions(new CompressionOptions()
            .setEnabled(true).setMaxDictBytes(64 << 10).setZStdMaxTrainBytes(64 << 10 << 6));
    closeables.add(recordsCf);
    ColumnFamilyOptions plainCf = new ColumnFamilyOptions();
    closeables.add(plainCf);
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    List<String> existing = BlockFamilies.existing(dir);
    List<Block> blocks = BlockFamilies.blocks(existing, PREFIX);
    List<ColumnFamilyDescriptor> cfs = new ArrayList<>(List.of(
        new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, plainCf),
        new ColumnFamilyDescriptor("pending".getBytes(StandardCharsets.UTF_8), plainCf)));
    for (Block b : blocks) {
      cfs.add(BlockFamilies.descriptor(PREFIX, b, recordsCf));
    }
    int known = cfs.size();
    BlockFamilies.addUnknown(cfs, existing, plainCf, dir);
    RocksDB db;
    try {
      db = RocksDB.open(options, dir.toString(), cfs, handles);
    } catch (RocksDBException e) {
      closeAll(closeables);
      throw e;
    }
    closeables.add(db);
    closeables.addAll(handles.subList(0, 2));
    closeables.addAll(handles.subList(known, handles.size()));
    LogDb out = new LogDb(closeables, db, handles, blockMillis, recordsCf);
    out.blocks.putAll(BlockFamilies.pair(blocks, handles, 2));
    return out;
  }

  /** The block of a record time (unix nanos). */
  Block block(long timeUnixNano) {
    return Block.containing(Math.floorDiv(timeUnixNano, 1_000_000L), blockMillis);
  }

  /** The column family of {@code block}, created when missing. */
  ColumnFamilyHandle cf(Block block) throws RocksDBException {
    ColumnFamilyHandle h = blocks.get(block);
    if (h == null) {
      synchronized (this) {
        h = blocks.get(block);
        if (h == null) {
          h = db.createColumnFamily(BlockFamilies.descriptor(PREFIX, block, recordsCf));
          blocks.put(block, h);
        }
      }
    }
    return h;
  }

  /** Every block, oldest first. */
  List<Block> blocks() {
    return new ArrayList<>(blocks.keySet());
  }

  /** Drops a block's records whole. No reader of it may run. */
  void drop(Block block) throws RocksDBException {
    ColumnFamilyHandle h = blocks.remove(block);
    if (h != null) {
      db.dropColumnFamily(h);
      h.close();
    }
  }

  /** Rewrites the block into the bottommost level (ZSTD with a dictionary). */
  void compact(Block block) throws RocksDBException {
    ColumnFamilyHandle h = blocks.get(block);
    if (h == null) {
      return;
    }
    try (CompactRangeOptions o = new CompactRangeOptions()
        .setBottommostLevelCompaction(
            BottommostLevelCompaction.kForce)) {
      db.compactRange(h, null, null, o);
    }
  }

  RocksDB db() {
    return db;
  }

  /** Adds the record (to its block) and its pending-index entry to {@code batch}. */
  void put(BatchBuilder batch, long time, long seq, byte[] value) throws RocksDBException {
    batch.put(cf(block(time)).getID(), LogKeys.recordKey(time, seq), value);
    batch.put(pendingId, LogKeys.longKey(seq), LogKeys.longKey(time));
  }

  /**
   * Adds a source position (see {@code SourcePositions}) to {@code batch}: key {@code pos/<key>}
   * in the default column family, which holds nothing else, so retention never drops it.
   */
  void putPosition(BatchBuilder batch, String key, long position) {
    batch.put(0, positionKey(key), LogKeys.longKey(position));
  }

  /** The position under {@code key}, or -1. */
  long position(String key) throws RocksDBException {
    byte[] v = db.get(positionKey(key));
    return v == null ? -1 : LogKeys.getLong(v, 0);
  }

  private static byte[] positionKey(String key) {
    return ("pos/" + key).getBytes(StandardCharsets.UTF_8);
  }

  /** The records under {@code keys}, in order, skipping keys no longer present. */
  List<LogRecord> getAll(List<byte[]> keys) {
    if (keys.isEmpty()) {
      return List.of();
    }
    try {
      List<ColumnFamilyHandle> cfs = new ArrayList<>(keys.size());
      List<byte[]> present = new ArrayList<>(keys.size());
      for (byte[] k : keys) {
        ColumnFamilyHandle h = blocks.get(block(LogKeys.time(k)));
        if (h != null) {
          cfs.add(h);
          present.add(k);
        }
      }
      List<byte[]> values = db.multiGetAsList(cfs, present);
      List<LogRecord> out = new ArrayList<>(values.size());
      for (byte[] v : values) {
        if (v != null) {
          out.add(LogCodec.decode(v));
        }
      }
      return out;
    } catch (RocksDBException e) {
      throw new StorageException("log store read: " + e.getMessage(), e);
    }
  }

  /** The record under {@code key}, or null. */
  byte[] get(byte[] key) throws RocksDBException {
    ColumnFamilyHandle h = blocks.get(block(LogKeys.time(key)));
    return h == null ? null : db.get(h, key);
  }

  /** Iterates the records of {@code block}; null when it has none. */
  RocksIterator records(Block block) {
    ColumnFamilyHandle h = blocks.get(block);
    return h == null ? null : db.newIterator(h);
  }

  RocksIterator pending() {
    return db.newIterator(pending);
  }

  /**
   * Drops pending entries up to {@code watermark}, once a Lucene commit covers them. Not synced:
   * entries that survive a crash are below the next open's watermark and skipped.
   */
  void trimPending(long watermark) {
    if (watermark < 0) {
      return;
    }
    try {
      db.deleteRange(pending, LogKeys.longKey(0), LogKeys.longKey(watermark + 1));
    } catch (RocksDBException e) {
      log.warn("log store: trimming pending index entries failed", e);
    }
  }

  void close() {
    for (ColumnFamilyHandle h : blocks.values()) {
      h.close();
    }
    closeAll(closeables);
  }

  // Handles before the DB, the DB before its options: reverse of opening order.
  private static void closeAll(List<AutoCloseable> closeables) {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        log.warn("error closing log store resource", e);
      }
    }
  }
}
