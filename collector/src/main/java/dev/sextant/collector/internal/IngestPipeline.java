package dev.sextant.collector.internal;

import com.google.protobuf.Message;
import com.linecorp.armeria.common.RequestContext;
import com.linecorp.armeria.common.util.SafeCloseable;
import dev.sextant.collector.limits.RateLimits;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The transport-independent ingest path: byte budget, tenant rate limit, store, metrics. Fails
 * with {@link IngestRefusedException} when the request is refused; nothing is stored then,
 * except after a {@linkplain #STORAGE_TIMEOUT_MESSAGE storage timeout}: storage had not confirmed
 * the write by the request's deadline, and the write may still complete.
 */
public final class IngestPipeline {
  private final IngestBudget budget;
  private final TenantRateLimiter limiter;
  private final DiskSpaceGuard disk;
  private final IngestMetrics metrics = IngestMetrics.INSTANCE;
  /** Space comes back by an operator's hand or by retention: not within a second. */
  static final int DISK_FULL_RETRY_SECONDS = 10;
  /** Below the 10 s default timeout of the OpenTelemetry SDK exporters, so they get an answer. */
  public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(5);
  /**
   * What a client is told when storage was too slow. Retrying is safe for spans (stored by trace
   * and span ID: a second copy replaces the first) and for metric samples (a sample at a time its
   * series already has is dropped); a retried log record may be stored twice (log records have no
   * identity), and a retried delta-temporality point is added to its series' running total again.
   */
  static final String STORAGE_TIMEOUT_MESSAGE = "storage did not confirm the write within %d ms"
      + " (it is slow or overloaded); the data may still be stored: retrying is safe for spans"
      + " and metric samples (deduplicated), a retried log record may be stored twice";

  private final long writeTimeoutNanos;
  /**
   * Bodies of this size and up decode in their own lane: a few clients sending 16 MB bodies, each
   * seconds of CPU on a busy box, must not hold up the many small exports behind them.
   */
  static final int LARGE_BODY_BYTES = 1 << 20;
  private final DecodePool smallDecoders = DecodePool.ofCores("small");
  private final DecodePool largeDecoders = DecodePool.ofCores("large");

  public IngestPipeline(long queueBytes, RateLimits rateLimits) {
    this(queueBytes, rateLimits, null);
  }

  /** {@code disk} (nullable) refuses requests while the data directory's disk is nearly full. */
  public IngestPipeline(long queueBytes, RateLimits rateLimits, DiskSpaceGuard disk) {
    this(queueBytes, rateLimits, disk, DEFAULT_WRITE_TIMEOUT);
  }

  /**
   * {@code writeTimeout}: how long a request waits for storage to confirm its write before it is
   * answered with a retryable refusal (the write goes on; its bytes stay in the budget until it
   * ends).
   */
  public IngestPipeline(long queueBytes, RateLimits rateLimits, DiskSpaceGuard disk,
      Duration writeTimeout) {
    if (writeTimeout.isNegative() || writeTimeout.isZero()) {
      throw new IllegalArgumentException("writeTimeout: " + writeTimeout + " (expected: > 0)");
    }
    this.budget = new IngestBudget(queueBytes);
    this.limiter = new TenantRateLimiter(rateLimits);
    this.disk = disk;
    this.writeTimeoutNanos = writeTimeout.toNanos();
  }

  /** Stops the decoding threads (requests already queued still run). */
  public void close() {
    smallDecoders.close();
    largeDecoders.close();
  }

  public long queueBytes() {
    return budget.inFlight();
  }

  long writeTimeoutNanos() {
    return writeTimeoutNanos;
  }

  /**
   * A refusal for a request whose deadline passed before storage (or its body) answered: retry
   * after as long as it waited, as storage that slow will not be fast a second later.
   */
  IngestRefusedException timedOut(String message) {
    return new IngestRefusedException(IngestRefusedException.Reason.OVERLOADED,
        TimeUnit.NANOSECONDS.toSeconds(writeTimeoutNanos), message);
  }

  <Req extends Message, Resp> CompletableFuture<Resp> handle(
      SignalHandler<Req, Resp> handler, LenientOtlpParser.Parsed<Req> parsed, int requestBytes,
      String tenant, String transport) {
    return handle(handler, parsed, requestBytes, tenant, transport,
        System.nanoTime() + writeTimeoutNanos);
  }

  /**
   * Stores the request; the future fails with a storage-timeout refusal if storage has not
   * confirmed the write by {@code deadlineNanos} ({@link System#nanoTime()} based).
   */
  <Req extends Message, Resp> CompletableFuture<Resp> handle(
      SignalHandler<Req, Resp> handler, LenientOtlpParser.Parsed<Req> parsed, int requestBytes,
      String tenant, String transport, long deadlineNanos) {
    IngestBudget.Reservation reservation = budget.reserve();
    try {
      return handle(handler, parsed, reservation, requestBytes, tenant, transport, deadlineNanos);
    } finally {
      reservation.answered(); // the storage write holds the bytes from here
    }
  }

  /** A reservation of the byte budget for one request, to {@linkplain #refuseIfOver grow}. */
  IngestBudget.Reservation reserve() {
    return budget.reserve();
  }

  /** Grows {@code reservation} by {@code bytes} or throws the queue-full refusal. */
  void refuseIfOver(IngestBudget.Reservation reservation, long bytes, String signal) {
    if (!reservation.grow(bytes)) {
      throw queueFull(signal);
    }
  }

  private IngestRefusedException queueFull(String signal) {
    metrics.refused.labelValues(signal, "queue_full").inc();
    return new IngestRefusedException(IngestRefusedException.Reason.OVERLOADED, 1,
        "ingest queue is full; retry later");
  }

  /**
   * Runs {@code work} (decoding, then {@link #handle}) of a body of {@code bodyBytes} on the
   * decoding threads, off the event loop, with the request's context {@code ctx} (nullable)
   * current, as storage picks the tenant's store from it; fails with a retryable refusal when
   * they are all busy and their queue is full, or when the work has not started by
   * {@code deadlineNanos}.
   */
  <T> CompletableFuture<T> decode(RequestContext ctx, String signal, long bodyBytes,
      long deadlineNanos, Supplier<CompletableFuture<T>> work) {
    DecodePool decoders = bodyBytes >= LARGE_BODY_BYTES ? largeDecoders : smallDecoders;
    Supplier<CompletableFuture<T>> inContext = ctx == null ? work : () -> {
      try (SafeCloseable ignored = ctx.push()) {
        return work.get();
      }
    };
    return decoders.submit(deadlineNanos, inContext, () -> {
      metrics.refused.labelValues(signal, "decode_busy").inc();
      return new IngestRefusedException(IngestRefusedException.Reason.OVERLOADED, 1,
          "ingest decoders are busy (" + decoders.queueCapacity() + " requests waiting);"
              + " nothing from this request was stored; retry later");
    }, () -> decodeTimedOut(signal));
  }

  private IngestRefusedException decodeTimedOut(String signal) {
    metrics.refused.labelValues(signal, "decode_timeout").inc();
    return timedOut("request not decoded within "
        + TimeUnit.NANOSECONDS.toMillis(writeTimeoutNanos) + " ms (the server is overloaded);"
        + " nothing from this request was stored");
  }

  /**
   * Stores a request whose body bytes {@code reservation} already holds: it is resized to the
   * decoded {@code requestBytes} and held until the storage write ends. The caller still lets go
   * of the request's own hold ({@link IngestBudget.Reservation#answered}) once it is answered.
   * A request whose deadline has passed is refused without being stored.
   */
  <Req extends Message, Resp> CompletableFuture<Resp> handle(
      SignalHandler<Req, Resp> handler, LenientOtlpParser.Parsed<Req> parsed,
      IngestBudget.Reservation reservation, int requestBytes, String tenant, String transport,
      long deadlineNanos) {
    long start = System.nanoTime();
    String signal = handler.signal().key();
    if (start - deadlineNanos >= 0) {
      return CompletableFuture.failedFuture(decodeTimedOut(signal));
    }
    long items = handler.parsedItemCount(parsed) + parsed.rejected();
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
    if (!reservation.resize(requestBytes)) {
      return CompletableFuture.failedFuture(queueFull(signal));
    }
    reservation.hold();
    CompletableFuture<SignalHandler.Result<Resp>> stored;
    long storeStart = System.nanoTime();
    try {
      stored = handler.storeParsed(parsed, tenant);
    } catch (RuntimeException e) {
      stored = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Resp> answer = stored.handle((result, failure) -> {
      reservation.unhold();
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
    long waited = TimeUnit.NANOSECONDS.toMillis(Math.max(0, deadlineNanos - start));
    return IngestDeadline.within(answer, deadlineNanos - System.nanoTime(),
        () -> timedOut(String.format(Locale.ROOT, STORAGE_TIMEOUT_MESSAGE, waited)),
        () -> metrics.refused.labelValues(signal, "storage_timeout").inc());
  }
}
