package dev.sextant.storage.internal.logs;

import dev.sextant.storage.LogRecord;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.internal.BatchBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The log store's RocksDB: column families {@code logs} (records) and {@code pending}. */
final class LogDb {
  private static final Logger log = LoggerFactory.getLogger(LogDb.class);

  static {
    RocksDB.loadLibrary();
  }

  private final List<AutoCloseable> closeables;
  private final RocksDB db;
  private final ColumnFamilyHandle logs;
  private final ColumnFamilyHandle pending;
  private final int logsId;
  private final int pendingId;

  private LogDb(List<AutoCloseable> closeables, RocksDB db, List<ColumnFamilyHandle> handles) {
    this.closeables = closeables;
    this.db = db;
    this.logs = handles.get(1);
    this.pending = handles.get(2);
    this.logsId = logs.getID();
    this.pendingId = pending.getID();
  }

  static LogDb open(Path dir) throws RocksDBException, IOException {
    Files.createDirectories(dir);
    List<AutoCloseable> closeables = new ArrayList<>();
    DBOptions options = new DBOptions().setCreateIfMissing(true)
        .setCreateMissingColumnFamilies(true).setKeepLogFileNum(3).setMaxBackgroundJobs(2);
    closeables.add(options);
    ColumnFamilyOptions recordsCf = new ColumnFamilyOptions()
        .setCompressionType(CompressionType.LZ4_COMPRESSION)
        .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION);
    closeables.add(recordsCf);
    ColumnFamilyOptions plainCf = new ColumnFamilyOptions();
    closeables.add(plainCf);
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    RocksDB db;
    try {
      db = RocksDB.open(options, dir.toString(), List.of(
          new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, plainCf),
          new ColumnFamilyDescriptor("logs".getBytes(StandardCharsets.UTF_8), recordsCf),
          new ColumnFamilyDescriptor("pending".getBytes(StandardCharsets.UTF_8), plainCf)),
          handles);
    } catch (RocksDBException e) {
      closeAll(closeables);
      throw e;
    }
    closeables.add(db);
    closeables.addAll(handles);
    return new LogDb(closeables, db, handles);
  }

  RocksDB db() {
    return db;
  }

  /** Adds the record and its pending-index entry to {@code batch}. */
  void put(BatchBuilder batch, long time, long seq, byte[] value) {
    batch.put(logsId, LogKeys.recordKey(time, seq), value);
    batch.put(pendingId, LogKeys.longKey(seq), LogKeys.longKey(time));
  }

  /** The records under {@code keys}, in order, skipping keys no longer present. */
  List<LogRecord> getAll(List<byte[]> keys) {
    if (keys.isEmpty()) {
      return List.of();
    }
    try {
      List<byte[]> values = db.multiGetAsList(Collections.nCopies(keys.size(), logs), keys);
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

  byte[] get(byte[] key) throws RocksDBException {
    return db.get(logs, key);
  }

  RocksIterator records() {
    return db.newIterator(logs);
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

  /** Deletes the records older than {@code time}; their pending entries are skipped by recovery. */
  void deleteBefore(long time) {
    if (time <= 0) {
      return;
    }
    try {
      db.deleteRange(logs, LogKeys.recordKey(0, 0), LogKeys.recordKey(time, 0));
    } catch (RocksDBException e) {
      throw new StorageException("log store delete: " + e.getMessage(), e);
    }
  }

  void close() {
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
