package dev.sextant.alert.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * A daemon thread running one task at a fixed delay, for the rule evaluator, the dispatcher and
 * the delivery worker. A failing run is logged and the next one still happens. {@link #stop()}
 * waits for a running task: the callers close their RocksDB right after, and RocksDB must not be
 * used after close (that crashes the JVM).
 */
public final class Ticker {
  private final ScheduledExecutorService scheduler;
  private final Logger log;

  private Ticker(ScheduledExecutorService scheduler, Logger log) {
    this.scheduler = scheduler;
    this.log = log;
  }

  /** Starts running {@code task} after {@code initialDelay}, then {@code delay} after each run. */
  public static Ticker start(String threadName, Duration initialDelay, Duration delay,
      Runnable task, Logger log) {
    ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    s.scheduleWithFixedDelay(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.warn("{} run failed", threadName, e);
      }
    }, initialDelay.toMillis(), delay.toMillis(), TimeUnit.MILLISECONDS);
    return new Ticker(s, log);
  }

  /** Stops scheduling and waits (up to 30 s) for a running task to finish. */
  public void stop() {
    scheduler.shutdownNow();
    try {
      if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
        log.warn("a background task was still running 30 s after stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
