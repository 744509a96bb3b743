package dev.sextant.storage.metrics;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Appends samples. The future completes once the samples are durable (survive a crash) and
 * readable. Per series, a sample older than the newest stored one is dropped, and so is a second
 * sample at the newest timestamp (the first one wins); values, NaNs and the {@link StaleMarker}
 * included, are kept bit-exactly.
 */
public interface MetricWriter {
  /**
   * Writes {@code series}. A series the store's {@link SeriesLimits} refuse is left out silently;
   * use {@link #append} to learn about it.
   */
  CompletableFuture<Void> write(List<TimeSeries> series);

  /**
   * Writes {@code series} and tells which were refused by the store's {@link SeriesLimits} (only
   * new series can be). The future fails only when nothing was stored (overload, I/O, closed).
   * The default implementation, for writers without limits, reports everything accepted.
   */
  default CompletableFuture<AppendResult> append(List<TimeSeries> series) {
    return write(series).thenApply(unused -> AppendResult.ALL_ACCEPTED);
  }

  /**
   * Writes {@code batch} as {@link #append(List)} writes {@link SampleBatch#toTimeSeries()}, with
   * the same result and failures; a store that keeps {@linkplain SeriesRef series references}
   * appends the samples of series it stored before by reference. {@code batch} must not change
   * until the future completes. The default implementation converts and calls
   * {@link #append(List)}: wrappers that pass writes on should pass this on too.
   */
  default CompletableFuture<AppendResult> append(SampleBatch batch) {
    return append(batch.toTimeSeries());
  }

  /**
   * Keeps what the metrics of {@code metadata} are (type, help, unit) for
   * {@link MetricReader#metadata}. Advisory: a store keeps a bounded amount of it per metric and
   * in all, and may drop some (it never fails a write of samples for it). The default
   * implementation, for writers that keep no metadata, ignores it.
   */
  default void writeMetadata(List<MetricMetadata> metadata) {
  }
}
