package dev.sextant.storage.embedded;

import static java.util.Objects.requireNonNull;

import dev.sextant.storage.internal.metrics.TsdbStore;
import dev.sextant.storage.metrics.MetricStore;
import dev.sextant.storage.metrics.SeriesLimits;
import java.nio.file.Path;

/** Builds a {@link MetricStore}; see {@link EmbeddedMetricStore#builder(Path)}. */
public final class MetricStoreBuilder {
  private final Path dir;
  private int chunkSamples = TsdbStore.CHUNK_SAMPLES;
  private long chunkSpanMillis = TsdbStore.CHUNK_SPAN_MILLIS;
  private long maxPendingBytes = 64L << 20;
  private boolean syncWrites = true;
  private long blockMillis = 2 * 60 * 60 * 1000L;
  private SeriesLimits limits = SeriesLimits.UNLIMITED;

  MetricStoreBuilder(Path dir) {
    this.dir = requireNonNull(dir, "dir");
  }

  /** Samples per chunk before the head is cut (default 120). */
  public MetricStoreBuilder chunkSamples(int chunkSamples) {
    if (chunkSamples < 1 || chunkSamples > 65_536) {
      throw new IllegalArgumentException(
          "chunkSamples: " + chunkSamples + " (expected: 1..65536)");
    }
    this.chunkSamples = chunkSamples;
    return this;
  }

  /** Longest time a chunk may span, in ms (default 2 h). */
  public MetricStoreBuilder chunkSpanMillis(long chunkSpanMillis) {
    if (chunkSpanMillis < 1) {
      throw new IllegalArgumentException("chunkSpanMillis: " + chunkSpanMillis + " (expected: > 0)");
    }
    this.chunkSpanMillis = chunkSpanMillis;
    return this;
  }

  /**
   * Time span of one block of chunks, by sample time (default 2 h, at least 1 minute): chunks are
   * cut at block boundaries, and {@link MetricStore#deleteBefore} drops whole blocks.
   */
  public MetricStoreBuilder blockDurationMillis(long blockMillis) {
    if (blockMillis < 60_000) {
      throw new IllegalArgumentException("blockDurationMillis: " + blockMillis
          + " (expected: >= 60000)");
    }
    this.blockMillis = blockMillis;
    return this;
  }

  /** Bytes of queued, not yet durable writes over which writes are refused (default 64 MiB). */
  public MetricStoreBuilder maxPendingBytes(long maxPendingBytes) {
    if (maxPendingBytes < 1) {
      throw new IllegalArgumentException("maxPendingBytes: " + maxPendingBytes + " (expected: > 0)");
    }
    this.maxPendingBytes = maxPendingBytes;
    return this;
  }

  /**
   * Whether each write group fsyncs the WAL before acknowledging (default true). Turning it off
   * gives up durability on power loss (not on a process crash); meant for benchmarks.
   */
  public MetricStoreBuilder syncWrites(boolean syncWrites) {
    this.syncWrites = syncWrites;
    return this;
  }

  /**
   * Limits on new series (default {@link SeriesLimits#UNLIMITED}); see {@code MetricWriter.append}
   * for how refusals are reported.
   */
  public MetricStoreBuilder limits(SeriesLimits limits) {
    this.limits = requireNonNull(limits, "limits");
    return this;
  }

  /** Opens the store, replaying its raw samples into memory. */
  public MetricStore build() {
    return TsdbStore.open(dir, chunkSamples, chunkSpanMillis, maxPendingBytes, syncWrites,
        blockMillis, limits);
  }
}
