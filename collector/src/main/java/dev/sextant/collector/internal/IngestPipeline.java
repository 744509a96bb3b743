package dev.sextant.collector.internal;

import com.google.protobuf.Message;
import dev.sextant.collector.RateLimits;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The transport-independent ingest path: byte budget, tenant rate limit, store, metrics. Fails
 * with {@link IngestRefusedException} when the request is refused; nothing is stored then.
 */
public final class IngestPipeline {
  private final IngestBudget budget;
  private final TenantRateLimiter limiter;
  private final DiskSpaceGuard disk;
  private final IngestMetrics metrics = IngestMetrics.INSTANCE;
  /** Space comes back by an operator's hand or by retention: not within a second. */
  static final int DISK_FULL_RETRY_SECONDS = 10;

  public IngestPipeline(long queueBytes, RateLimits rateLimits) {
    this(queueBytes, rateLimits, null);
  }

  /** {@code disk} (nullable) refuses requests while the data directory's disk is nearly full. */
  public IngestPipeline(long queueBytes, RateLimits rateLimits, DiskSpaceGuard disk) {
    this.budget = new IngestBudget(queueBytes);
    this.limiter = new TenantRateLimiter(rateLimits);
    this.disk = disk;
  }

  public long queueBytes() {
    return budget.inFlight();
  }

  <Req extends Message, Resp extends Message> CompletableFuture<Resp> handle(
      SignalHandler<Req, Resp> handler, LenientOtlpParser.Parsed<Req> parsed, int requestBytes,
      String tenant, String transport) {
    Req request = parsed.request();
    long start = System.nanoTime();
    String signal = handler.signal().key();
    long items = handler.itemCount(request) + parsed.rejected();
    metrics.received.labelValues(signal, tenant).inc(items);
    long waitNanos = limiter.tryAcquire(tenant, handler.signal(), items);
    if (waitNanos > 0) {
      metrics.throttled.labelValues(signal, tenant).inc(items);
      return CompletableFuture.failedFuture(new IngestRefusedException(
          IngestRefusedException.Reason.THROTTLED, TimeUnit.NANOSECONDS.toSeconds(waitNanos) + 1,
          "tenant '" + tenant + "' is over its " + signal + " rate limit; retry later"));
    }
    String diskFull = disk == null ? null : disk.refusal();
    if (diskFull != null) {
      metrics.refused.labelValues(signal, "disk_full").inc();
      return CompletableFuture.failedFuture(new IngestRefusedException(
          IngestRefusedException.Reason.OVERLOADED, DISK_FULL_RETRY_SECONDS, diskFull));
    }
    if (!budget.tryAcquire(requestBytes)) {
      metrics.refused.labelValues(signal, "queue_full").inc();
      return CompletableFuture.failedFuture(new IngestRefusedException(
          IngestRefusedException.Reason.OVERLOADED, 1,
          "ingest queue is full; retry later"));
    }
    CompletableFuture<SignalHandler.Result<Resp>> stored;
    long storeStart = System.nanoTime();
    try {
      stored = handler.store(request, tenant, parsed.rejected(), parsed.errorMessage());
    } catch (RuntimeException e) {
      stored = CompletableFuture.failedFuture(e);
    }
    return stored.handle((result, failure) -> {
      budget.release(requestBytes);
      long end = System.nanoTime();
      double seconds = (end - start) / 1e9;
      metrics.storageWrite.labelValues(signal).observe((end - storeStart) / 1e9);
      if (failure != null) {
        Throwable cause = IngestFailures.unwrap(failure);
        if (cause instanceof IllegalArgumentException) {
          metrics.refused.labelValues(signal, "invalid").inc();
          throw new IngestRefusedException(IngestRefusedException.Reason.INVALID, 0,
              "invalid data, nothing from this request was stored (do not retry it unchanged): "
                  + cause.getMessage());
        }
        metrics.refused.labelValues(signal,
            cause instanceof RejectedExecutionException ? "storage_busy" : "storage_error").inc();
        throw new IngestRefusedException(IngestRefusedException.Reason.OVERLOADED,
            IngestFailures.RETRY_AFTER_SECONDS, IngestFailures.message(failure));
      }
      metrics.rejected.labelValues(signal, tenant).inc(result.rejected());
      metrics.accepted.labelValues(signal, tenant).inc(items - result.rejected());
      metrics.requestDuration.labelValues(signal, transport).observe(seconds);
      return result.response();
    });
  }
}
