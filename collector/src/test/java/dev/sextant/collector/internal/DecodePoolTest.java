package dev.sextant.collector.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class DecodePoolTest {
  private static final long LATER = TimeUnit.SECONDS.toNanos(30);

  @Test
  void submit_runsOnADecodingThread() throws Exception {
    try (DecodePool pool = new DecodePool(1, 1)) {
      CompletableFuture<String> f = pool.submit(System.nanoTime() + LATER,
          () -> CompletableFuture.completedFuture(Thread.currentThread().getName()),
          () -> new IllegalStateException("busy"), () -> new IllegalStateException("late"));
      assertThat(f.get(10, TimeUnit.SECONDS)).startsWith(DecodePool.THREAD_PREFIX);
    }
  }

  @Test
  void submit_fullQueue_isRefusedAndNothingRuns() throws Exception {
    try (DecodePool pool = new DecodePool(1, 1)) {
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<Object> running = pool.submit(System.nanoTime() + LATER, () -> {
        await(release);
        return CompletableFuture.completedFuture("first");
      }, () -> new IllegalStateException("busy"), () -> new IllegalStateException("late"));
      // The first may still be in the queue or already running: fill the queue either way.
      CompletableFuture<Object> refused = null;
      for (int i = 0; i < 3 && refused == null; i++) {
        CompletableFuture<Object> f = pool.submit(System.nanoTime() + LATER,
            () -> CompletableFuture.completedFuture("more"),
            () -> new IllegalStateException("busy"), () -> new IllegalStateException("late"));
        if (f.isCompletedExceptionally()) {
          refused = f;
        }
      }
      assertThat(refused).isNotNull();
      assertThat(failure(refused)).hasMessage("busy");
      release.countDown();
      assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo("first");
    }
  }

  @Test
  void submit_notStartedByTheDeadline_isRefusedAndNeverRuns() throws Exception {
    try (DecodePool pool = new DecodePool(1, 4)) {
      CountDownLatch release = new CountDownLatch(1);
      pool.submit(System.nanoTime() + LATER, () -> {
        await(release);
        return CompletableFuture.completedFuture("first");
      }, () -> new IllegalStateException("busy"), () -> new IllegalStateException("late"));
      AtomicBoolean ran = new AtomicBoolean();
      CompletableFuture<Object> late = pool.submit(
          System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50), () -> {
            ran.set(true);
            return CompletableFuture.completedFuture("late one");
          }, () -> new IllegalStateException("busy"), () -> new IllegalStateException("late"));
      assertThat(failure(late)).hasMessage("late");
      release.countDown();
      // Whatever was queued behind it still runs; the late one does not.
      pool.submit(System.nanoTime() + LATER, () -> CompletableFuture.completedFuture("after"),
          () -> new IllegalStateException("busy"), () -> new IllegalStateException("late"))
          .get(10, TimeUnit.SECONDS);
      assertThat(ran).isFalse();
    }
  }

  @Test
  void reservation_countsBytesUntilAnsweredAndStoredBothLetGo() {
    IngestBudget budget = new IngestBudget(100);
    IngestBudget.Reservation alone = budget.reserve();
    assertThat(alone.grow(150)).as("a request alone may exceed the budget").isTrue();
    IngestBudget.Reservation other = budget.reserve();
    assertThat(other.grow(1)).as("not while another holds it").isFalse();
    alone.hold(); // its storage write
    alone.answered();
    assertThat(budget.inFlight()).isEqualTo(150);
    alone.unhold();
    assertThat(budget.inFlight()).isZero();
    assertThat(alone.grow(1)).as("released: takes no more").isFalse();
    assertThat(other.grow(60)).isTrue();
    assertThat(other.resize(90)).isTrue();
    assertThat(other.bytes()).isEqualTo(90);
    assertThat(other.resize(20)).as("never shrinks").isTrue();
    other.answered();
    other.answered(); // idempotent
    assertThat(budget.inFlight()).isZero();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Throwable failure(CompletableFuture<?> f) throws Exception {
    try {
      f.get(10, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure");
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }
}
