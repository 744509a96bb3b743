package dev.sextant.storage;

import dev.sextant.storage.embedded.EmbeddedStorage;
import dev.sextant.storage.conformance.MovableClock;
import dev.sextant.storage.conformance.StorageConformance;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded RocksDB + Lucene storage against the shared contract, with retention checked on
 * a moved clock (in this package for the builder's package-private clock).
 */
class EmbeddedStorageConformanceTest extends StorageConformance {
  @TempDir
  Path dir;

  @Override
  protected Storage openEmpty() {
    return EmbeddedStorage.open(dir.resolve("store"));
  }

  @Override
  public Storage openWithRetention(Retention retention, Duration blockDuration,
      MovableClock clock) {
    return EmbeddedStorage.builder().dataDir(dir.resolve("retention")).retention(retention)
        .blockDuration(blockDuration).retentionCheckInterval(Duration.ofMillis(100))
        .clock(clock).build();
  }
}
