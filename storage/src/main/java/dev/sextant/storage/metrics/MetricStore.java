package dev.sextant.storage.metrics;

/**
 * A metrics TSDB: a {@link MetricWriter} and {@link MetricReader} over one RocksDB
 * directory. Samples are durable when {@link #write} completes (synced WAL, group commit); the
 * newest samples of each series live in an in-memory head chunk that is rebuilt on open.
 *
 * <p>Per series, a sample older than the newest accepted one is dropped and counted in
 * {@link #outOfOrderSamples()}; a second sample with the newest timestamp is dropped and counted
 * in {@link #duplicateSamples()} (the first one wins). Values are stored bit-exactly, so the
 * {@link StaleMarker} NaN and other NaNs come back unchanged.
 *
 * <p>A write that would create a new series over the store's {@link SeriesLimits} (set with the
 * embedded store's builder, {@code EmbeddedMetricStore.builder(dir).limits(...)}) leaves that
 * series out; {@link #append} says which.
 */
public interface MetricStore extends MetricReader, MetricWriter, AutoCloseable {
  /**
   * Retention: drops whole every block of chunks that ended at or before {@code minTimeMillis}
   * (see the builder's {@code blockDurationMillis}), the in-memory head of series whose
   * newest sample is older, and series left empty. Blocks straddling the cut-off are kept whole.
   * Blocks until done.
   */
  void deleteBefore(long minTimeMillis);

  /** Number of series in the registry. */
  long seriesCount();

  /** Samples dropped since open because they were older than their series' newest sample. */
  long outOfOrderSamples();

  /** Samples dropped since open because their series already had a sample at that time. */
  long duplicateSamples();

  /**
   * Cuts every in-memory head into a stored chunk and compacts the disk now, the last level
   * included: what a tool measuring disk use per sample calls before measuring. Slow (it rewrites
   * every file); blocks writes meanwhile. Not needed for durability: accepted samples already are.
   */
  void compactNow();

  /** Writes what is queued, then closes the database. Later writes fail; idempotent. */
  @Override
  void close();
}
