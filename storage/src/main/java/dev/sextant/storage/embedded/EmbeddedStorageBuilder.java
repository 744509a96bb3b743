package dev.sextant.storage.embedded;

import dev.sextant.storage.Retention;
import static java.util.Objects.requireNonNull;

import dev.sextant.storage.metrics.SeriesLimits;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Builds the embedded storage. Only {@link #dataDir} is required. */
public final class EmbeddedStorageBuilder {
  static final Duration DEFAULT_KEEP_PINS = Duration.ofDays(7);
  private Path dataDir;
  private long maxPendingWriteBytes = 256L << 20;
  private Retention retention = Retention.defaults();
  private Duration retentionCheckInterval = Duration.ofMinutes(10);
  private Duration blockDuration = Duration.ofHours(2);
  private Clock clock = Clock.systemUTC();
  private Duration keepPinsAfterResolve = DEFAULT_KEEP_PINS;
  private SeriesLimits seriesLimits =
      SeriesLimits.UNLIMITED;

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
  public EmbeddedStorageBuilder retentionCheckInterval(Duration interval) {
    requireNonNull(interval, "interval");
    if (interval.toMillis() < 100) {
      throw new IllegalArgumentException("retentionCheckInterval: " + interval
          + " (expected: >= 100ms)");
    }
    this.retentionCheckInterval = interval;
    return this;
  }

  /**
   * Time span of one block (default 2 hours), 1 minute to 1 day. Every signal is stored in blocks
   * of this duration: spans and logs by when they were written, metric samples by their
   * timestamp. Each block has its own RocksDB column families and Lucene index; retention drops
   * expired blocks whole (so data lives between its retention and retention plus one block), and
   * queries skip blocks outside their time range. A block is <em>sealed</em> shortly after it
   * ends: compacted with ZSTD and its index merged into one segment.
   *
   * <p>Changing the duration of an existing store is safe: blocks keep the extent they were
   * created with, and new ones use the new duration.
   */
  public EmbeddedStorageBuilder blockDuration(Duration blockDuration) {
    requireNonNull(blockDuration, "blockDuration");
    if (blockDuration.compareTo(Duration.ofMinutes(1)) < 0
        || blockDuration.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException("blockDuration: " + blockDuration
          + " (expected: 1m-24h)");
    }
    this.blockDuration = blockDuration;
    return this;
  }

  /**
   * How long pinned traces and log lines stay after their incident resolved (default 7 days), at
   * least a minute; see {@link dev.sextant.storage.Pins}.
   */
  public EmbeddedStorageBuilder keepPinsAfterResolve(Duration keep) {
    requireNonNull(keep, "keep");
    if (keep.toMinutes() < 1) {
      throw new IllegalArgumentException("keepPinsAfterResolve: " + keep + " (expected: >= 1m)");
    }
    this.keepPinsAfterResolve = keep;
    return this;
  }

  /**
   * Limits on new metric series (default none); see
   * {@link dev.sextant.storage.metrics.SeriesLimits}.
   */
  public EmbeddedStorageBuilder seriesLimits(SeriesLimits limits) {
    this.seriesLimits = requireNonNull(limits, "limits");
    return this;
  }

  /**
   * The clock that picks the block a span or log record is written to and decides what expired
   * (default: the system clock). Tools and tests that simulate time passing set their own.
   */
  public EmbeddedStorageBuilder clock(Clock clock) {
    this.clock = requireNonNull(clock, "clock");
    return this;
  }

  /**
   * Opens the storage.
   *
   * @throws StorageException when the directory cannot be opened (locked by another process, I/O)
   */
  public EmbeddedStorage build() {
    if (dataDir == null) {
      throw new IllegalStateException("dataDir: not set (expected: a directory)");
    }
    Clock c = clock;
    return DefaultEmbeddedStorage.open(dataDir, maxPendingWriteBytes, retention,
        retentionCheckInterval, blockDuration, c::millis, seriesLimits, keepPinsAfterResolve);
  }
}
