package dev.sextant.server;

import dev.sextant.storage.embedded.EmbeddedStorage;
import dev.sextant.storage.Retention;
import dev.sextant.storage.Storage;
import java.nio.file.Path;
import java.time.Duration;

/** Storage reopened by tests to check what a server stored; keeps even 2018 example data. */
final class TestStorage {
  /** A century: the OTLP JSON examples are from 2018 and must survive the retention job. */
  static final Retention KEEP_ALL = new Retention(Duration.ofDays(36_500),
      Duration.ofDays(36_500), Duration.ofDays(36_500));

  private TestStorage() {}

  static Storage open(Path dataDir) {
    return EmbeddedStorage.builder().dataDir(dataDir).retention(KEEP_ALL).build();
  }
}
