package dev.sextant.storage;

import java.nio.file.Path;

/** Factory for the embedded RocksDB + Lucene storage. */
public final class EmbeddedStorage {
  private EmbeddedStorage() {}

  public static EmbeddedStorageBuilder builder() {
    return new EmbeddedStorageBuilder();
  }

  /** Opens storage in {@code dataDir} with default settings. */
  public static Storage open(Path dataDir) {
    return builder().dataDir(dataDir).build();
  }
}
