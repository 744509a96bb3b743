package dev.sextant.storage;

import static java.util.Objects.requireNonNull;

import dev.sextant.storage.internal.DefaultEmbeddedStorage;
import java.nio.file.Path;

/** Builds the embedded storage. Only {@link #dataDir} is required. */
public final class EmbeddedStorageBuilder {
  private Path dataDir;
  private long maxPendingWriteBytes = 256L << 20;
  private Retention retention = Retention.defaults();
  private java.time.Duration retentionCheckInterval = java.time.Duration.ofMinutes(10);

  EmbeddedStorageBuilder() {}

  /** Directory holding every store; created if missing. */
  public EmbeddedStorageBuilder dataDir(Path dataDir) {
    this.dataDir = requireNonNull(dataDir, "dataDir");
    return this;
  }

  /**
   * Bytes of accepted but not yet durable writes above which new writes are refused (default 256
   * MiB), so a slow disk turns into retryable refusals rather than unbounded memory.
   */
  public EmbeddedStorageBuilder maxPendingWriteBytes(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("maxPendingWriteBytes: " + bytes + " (expected: > 0)");
    }
    this.maxPendingWriteBytes = bytes;
    return this;
  }

  /** How long each signal is kept (default {@link Retention#defaults()}). */
  public EmbeddedStorageBuilder retention(Retention retention) {
    this.retention = requireNonNull(retention, "retention");
    return this;
  }

  /** How often expired data is looked for and dropped (default 10 minutes). */
  public EmbeddedStorageBuilder retentionCheckInterval(java.time.Duration interval) {
    requireNonNull(interval, "interval");
    if (interval.toMillis() < 100) {
      throw new IllegalArgumentException("retentionCheckInterval: " + interval
          + " (expected: >= 100ms)");
    }
    this.retentionCheckInterval = interval;
    return this;
  }

  /**
   * Opens the storage.
   *
   * @throws StorageException when the directory cannot be opened (locked by another process, I/O)
   */
  public Storage build() {
    if (dataDir == null) {
      throw new IllegalStateException("dataDir: not set (expected: a directory)");
    }
    return DefaultEmbeddedStorage.open(dataDir, maxPendingWriteBytes, retention,
        retentionCheckInterval);
  }
}
