package dev.sextant.collector.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The threads that decode ingest requests (gunzip, protobuf or JSON parse, validation and
 * conversion), so that none of that runs on an event loop: a client sending 16 MB bodies must
 * not stall {@code /health} or any other request sharing the event loop. Sized to the cores,
 * since the work is CPU-bound; its queue is bounded and a full queue is a retryable refusal, like
 * a full byte budget. A request whose deadline passes while it waits is refused without being
 * decoded.
 */
final class DecodePool implements AutoCloseable {
  /** Threads' name prefix; tests look for it. */
  static final String THREAD_PREFIX = "sextant-ingest-decode-";

  private final ThreadPoolExecutor executor;
  private final int queueCapacity;

  /** {@code threads} decoding threads and room for {@code queueCapacity} waiting requests. */
  DecodePool(int threads, int queueCapacity) {
    this("", threads, queueCapacity);
  }

  /** As above; {@code lane} goes into the threads' names. */
  DecodePool(String lane, int threads, int queueCapacity) {
    if (threads <= 0) {
      throw new IllegalArgumentException("threads: " + threads + " (expected: > 0)");
    }
    if (queueCapacity <= 0) {
      throw new IllegalArgumentException(
          "queueCapacity: " + queueCapacity + " (expected: > 0)");
    }
    this.queueCapacity = queueCapacity;
    AtomicInteger n = new AtomicInteger();
    executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(queueCapacity), r -> {
          Thread t = new Thread(r, THREAD_PREFIX + lane + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    executor.allowCoreThreadTimeOut(true); // an idle collector keeps no decoding threads
  }

  /** One thread per core (at least two, so one huge request does not hold every decode). */
  static DecodePool ofCores(String lane) {
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    // The byte budget bounds the memory of waiting requests; this bounds their number (each
    // costs a task and, while waiting, latency for those behind it).
    return new DecodePool(lane + "-", threads, 64 * threads);
  }

  /**
   * Runs {@code work} on a decoding thread; the returned future completes as the work's future
   * does. It fails with {@code busy} (nothing runs) when the queue is full, and with
   * {@code late} (nothing runs) when the work has not started by {@code deadlineNanos}
   * ({@link System#nanoTime()} based).
   */
  <T> CompletableFuture<T> submit(long deadlineNanos, Supplier<CompletableFuture<T>> work,
      Supplier<? extends RuntimeException> busy, Supplier<? extends RuntimeException> late) {
    CompletableFuture<T> result = new CompletableFuture<>();
    AtomicBoolean claimed = new AtomicBoolean();
    ScheduledFuture<?> timer = IngestDeadline.schedule(() -> {
      if (claimed.compareAndSet(false, true)) {
        result.completeExceptionally(late.get());
      }
    }, deadlineNanos - System.nanoTime());
    try {
      executor.execute(() -> {
        if (!claimed.compareAndSet(false, true)) {
          return; // already refused as late
        }
        timer.cancel(false);
        try {
          work.get().whenComplete((value, failure) -> {
            if (failure == null) {
              result.complete(value);
            } else {
              result.completeExceptionally(failure);
            }
          });
        } catch (Throwable t) {
          result.completeExceptionally(t);
        }
      });
    } catch (RejectedExecutionException e) {
      if (claimed.compareAndSet(false, true)) {
        timer.cancel(false);
        result.completeExceptionally(busy.get());
      }
    }
    return result;
  }

  int queueCapacity() {
    return queueCapacity;
  }

  @Override
  public void close() {
    executor.shutdown();
  }
}
