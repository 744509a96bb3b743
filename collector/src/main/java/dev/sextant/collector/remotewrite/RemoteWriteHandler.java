package dev.sextant.collector.remotewrite;

import dev.sextant.collector.limits.IngestLimits;
import dev.sextant.collector.limits.Signal;
import dev.sextant.collector.internal.DiscardedSamples;
import dev.sextant.collector.internal.SignalHandler;
import dev.sextant.collector.remotewrite.prompb.Remote.WriteRequest;
import dev.sextant.collector.remotewrite.prompb.Types;
import dev.sextant.storage.metrics.AppendResult;
import dev.sextant.storage.metrics.MetricWriter;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remote write behind the shared pipeline: samples (and native histogram samples, which are
 * rejected) count against the tenant's metrics rate limit; series go to the metric writer, whose
 * out-of-order and duplicate samples are dropped and counted by the store, not refused.
 */
final class RemoteWriteHandler implements SignalHandler<WriteRequest, RemoteWriteHandler.Outcome> {
  private static final Logger log = LoggerFactory.getLogger(RemoteWriteHandler.class);
  /** {@code sextant_discarded_samples_total} reason of samples of invalid series. */
  static final String INVALID_REASON = "remote_write_invalid";

  /** Samples in the request, how many were not stored and why (the first reason). */
  record Outcome(long samples, long rejected, @Nullable String message) {}

  private final MetricWriter writer;
  private final WriteRequestConverter converter;

  RemoteWriteHandler(MetricWriter writer, IngestLimits limits) {
    this.writer = writer;
    this.converter = new WriteRequestConverter(limits);
  }

  @Override
  public Signal signal() {
    return Signal.METRICS;
  }

  @Override
  public long itemCount(WriteRequest request) {
    long n = 0;
    for (Types.TimeSeries ts : request.getTimeseriesList()) {
      n += ts.getSamplesCount() + ts.getHistogramsCount();
    }
    return n;
  }

  @Override
  public CompletableFuture<Result<Outcome>> store(WriteRequest request, String tenant,
      long preRejected, String preError) {
    WriteRequestConverter.Conversion c = converter.convert(request);
    if (!c.metadata().isEmpty()) {
      try {
        writer.writeMetadata(c.metadata());
      } catch (RuntimeException e) {
        // Advisory: the samples are what the sender retries for, so they are not refused.
        log.warn("remote write: metadata not stored: {}", e.toString());
      }
    }
    CompletableFuture<AppendResult> stored = c.series().isEmpty()
        ? CompletableFuture.completedFuture(AppendResult.ALL_ACCEPTED) : writer.append(c.series());
    return stored.thenApply(appended -> {
      DiscardedSamples.count(tenant, INVALID_REASON, c.rejected());
      if (!appended.allAccepted()) {
        DiscardedSamples.count(tenant, appended);
      }
      long rejected = c.rejected() + appended.refusedSamples();
      String message = c.firstError() != null ? c.firstError() : appended.message();
      return new Result<>(new Outcome(c.samples(), rejected, message), rejected);
    });
  }
}
