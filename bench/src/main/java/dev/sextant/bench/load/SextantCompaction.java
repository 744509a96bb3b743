package dev.sextant.bench.load;

import dev.sextant.storage.embedded.EmbeddedMetricStore;
import dev.sextant.storage.metrics.MetricStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.ConfigOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.OptionsUtil;
import org.rocksdb.RocksDB;

/**
 * Compacts a stopped Sextant's data directory the way the server itself would, offline: the
 * metric store cuts every open head into a Gorilla chunk and compacts
 * ({@link MetricStore#compactNow()}); the trace and log RocksDBs are
 * opened with the options they persisted (same compression, filters, prefix extractor) and
 * fully compacted, the last level included. Lucene indexes are left as the server's merges
 * left them.
 */
final class SextantCompaction {
  private SextantCompaction() {}

  /** Compacts and returns the SST bytes of each column family, as "dir/cf" → bytes. */
  static Map<String, Long> compact(Path dataDir) throws Exception {
    Map<String, Long> sizes = new LinkedHashMap<>();
    Path metrics = dataDir.resolve("metrics");
    if (Files.isDirectory(metrics)) {
      try (MetricStore store = EmbeddedMetricStore.builder(metrics).build()) {
        store.compactNow();
      }
    }
    for (String db : List.of("traces", "logs", "metrics")) {
      Path dir = dataDir.resolve(db);
      if (Files.isRegularFile(dir.resolve("CURRENT"))) {
        compactRocks(dir, db, sizes);
      }
    }
    return sizes;
  }

  private static void compactRocks(Path dir, String name, Map<String, Long> sizes)
      throws Exception {
    RocksDB.loadLibrary();
    List<ColumnFamilyDescriptor> cfs = new ArrayList<>();
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (ConfigOptions config = new ConfigOptions().setIgnoreUnknownOptions(true);
        DBOptions options = new DBOptions()) {
      OptionsUtil.loadLatestOptions(config, dir.toString(), options, cfs);
      // kForce: files already in the last level are rewritten too, so every byte ends up in
      // the bottommost compression (ZSTD for spans and chunks), as a fully compacted store would.
      try (RocksDB db = RocksDB.open(options, dir.toString(), cfs, handles);
          CompactRangeOptions force = new CompactRangeOptions()
              .setBottommostLevelCompaction(
                  CompactRangeOptions.BottommostLevelCompaction.kForce)) {
        for (int i = 0; i < handles.size(); i++) {
          db.compactRange(handles.get(i), null, null, force);
          sizes.put(name + "/" + new String(cfs.get(i).getName(), StandardCharsets.UTF_8),
              db.getLongProperty(handles.get(i), "rocksdb.total-sst-files-size"));
        }
        handles.forEach(ColumnFamilyHandle::close);
      }
    }
  }
}
