package dev.sextant.collector.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Answers an ingest request by a deadline even when its work has not finished: the request's
 * future is completed with a refusal while the work goes on. The work's own future is never
 * completed from here, so what depends on it (the byte budget's release) still runs when it ends.
 */
final class IngestDeadline {
  /** One daemon thread: it only completes futures, whose dependents are cheap response writes. */
  private static final ScheduledThreadPoolExecutor TIMER = timer();

  private IngestDeadline() {}

  /**
   * A future completed like {@code work}, or with {@code refusal.get()} if {@code work} has not
   * completed {@code nanos} from now; {@code onRefused} runs only when the refusal won.
   */
  static <T> CompletableFuture<T> within(CompletableFuture<T> work, long nanos,
      Supplier<? extends RuntimeException> refusal, Runnable onRefused) {
    if (work.isDone()) {
      return work;
    }
    CompletableFuture<T> answer = new CompletableFuture<>();
    ScheduledFuture<?> timer = TIMER.schedule(() -> {
      if (!answer.isDone() && answer.completeExceptionally(refusal.get())) {
        onRefused.run();
      }
    }, Math.max(0, nanos), TimeUnit.NANOSECONDS);
    work.whenComplete((value, failure) -> {
      timer.cancel(false);
      if (failure == null) {
        answer.complete(value);
      } else {
        answer.completeExceptionally(failure);
      }
    });
    return answer;
  }

  /** Runs {@code task} on the deadline thread {@code nanos} from now (it must be cheap). */
  static ScheduledFuture<?> schedule(Runnable task, long nanos) {
    return TIMER.schedule(task, Math.max(0, nanos), TimeUnit.NANOSECONDS);
  }

  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
      Thread thread = new Thread(r, "sextant-ingest-deadline");
      thread.setDaemon(true);
      return thread;
    });
    // Most requests finish in time: drop their cancelled timers instead of keeping them queued.
    t.setRemoveOnCancelPolicy(true);
    return t;
  }
}
