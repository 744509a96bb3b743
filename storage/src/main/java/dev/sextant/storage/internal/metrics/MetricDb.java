package dev.sextant.storage.internal.metrics;

import dev.sextant.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * The metrics RocksDB: column families {@code series} (id → labels), {@code raw} (id + time →
 * value bits: the durable copy of head samples) and {@code chunks} (id + min time → Gorilla chunk).
 */
final class MetricDb implements AutoCloseable {
  final RocksDB db;
  final ColumnFamilyHandle series;
  final ColumnFamilyHandle raw;
  final ColumnFamilyHandle chunks;
  private final List<ColumnFamilyHandle> handles;
  private final List<AutoCloseable> options = new ArrayList<>();

  private MetricDb(RocksDB db, List<ColumnFamilyHandle> handles) {
    this.db = db;
    this.handles = handles;
    this.series = handles.get(1);
    this.raw = handles.get(2);
    this.chunks = handles.get(3);
  }

  static MetricDb open(Path dir) {
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
      // Raw samples live until their chunk is cut (minutes): no compression, big memtable.
      ColumnFamilyOptions rawOpts = new ColumnFamilyOptions()
          .setCompressionType(CompressionType.NO_COMPRESSION).setWriteBufferSize(64L << 20);
      BlockBasedTableConfig chunkTable = new BlockBasedTableConfig().setBlockSize(32 << 10);
      ColumnFamilyOptions chunkOpts = new ColumnFamilyOptions()
          .setCompressionType(CompressionType.LZ4_COMPRESSION)
          .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION)
          .setTableFormatConfig(chunkTable);
      opts.addAll(List.of(def, seriesOpts, rawOpts, chunkOpts));
      List<ColumnFamilyDescriptor> cfs = List.of(
          new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, def),
          new ColumnFamilyDescriptor("series".getBytes(StandardCharsets.UTF_8), seriesOpts),
          new ColumnFamilyDescriptor("raw".getBytes(StandardCharsets.UTF_8), rawOpts),
          new ColumnFamilyDescriptor("chunks".getBytes(StandardCharsets.UTF_8), chunkOpts));
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      RocksDB rdb = RocksDB.open(db, dir.toString(), cfs, handles);
      MetricDb m = new MetricDb(rdb, handles);
      m.options.addAll(opts);
      return m;
    } catch (RocksDBException | java.io.IOException e) {
      closeAll(opts);
      throw new StorageException("cannot open metric store in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Flushes memtables and compacts every column family (drops deleted raw samples). */
  void compact() {
    try {
      for (ColumnFamilyHandle h : handles) {
        db.compactRange(h);
      }
    } catch (RocksDBException e) {
      throw new StorageException("metric store compaction failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
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
