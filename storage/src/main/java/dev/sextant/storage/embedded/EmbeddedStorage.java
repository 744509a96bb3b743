package dev.sextant.storage.embedded;

import dev.sextant.storage.Storage;
import java.nio.file.Path;

/**
 * The embedded RocksDB + Lucene storage: a {@link Storage} whose stores all live in one data
 * directory. Open it with {@link #builder()} or {@link #open(Path)}.
 */
public interface EmbeddedStorage extends Storage {

  static EmbeddedStorageBuilder builder() {
    return new EmbeddedStorageBuilder();
  }

  /** Opens storage in {@code dataDir} with default settings. */
  static EmbeddedStorage open(Path dataDir) {
    return builder().dataDir(dataDir).build();
  }

  /**
   * Compacts every store now, as sealing would, ended blocks or not: span blocks are rewritten
   * with their dictionaries and their indexes merged, metric heads are cut into chunks, and every
   * column family is compacted to its last level. What a tool measuring disk use per item calls
   * before measuring; slow (it rewrites every file) and never needed for durability. Spans
   * written meanwhile are left as they are until the next sealing.
   *
   * @throws StorageException when the storage is closed or compaction fails
   */
  void compactNow();
}
