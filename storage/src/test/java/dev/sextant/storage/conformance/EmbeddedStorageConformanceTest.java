package dev.sextant.storage.conformance;

import dev.sextant.storage.EmbeddedStorage;
import dev.sextant.storage.Storage;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The embedded RocksDB + Lucene storage against the shared contract. */
class EmbeddedStorageConformanceTest extends StorageConformance {
  @TempDir
  Path dir;

  @Override
  protected Storage openEmpty() {
    return EmbeddedStorage.open(dir);
  }
}
