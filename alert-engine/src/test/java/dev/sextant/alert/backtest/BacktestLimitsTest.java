package dev.sextant.alert.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.alert.query.QueryFunction;
import dev.sextant.alert.query.Sample;
import dev.sextant.alert.internal.notify.Route;
import dev.sextant.alert.rules.ExprChecker;
import dev.sextant.alert.rules.RuleFiles;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The evaluation cap, the deadline and cancellation of a replay. */
class BacktestLimitsTest {
  static final Instant T0 = BacktestTest.T0;

  static Backtest backtest(QueryFunction q) {
    return new Backtest(RuleFiles.parse("r.yml", """
        groups:
          - name: g
            interval: 1m
            rules:
              - alert: A
                expr: up == 0
              - alert: B
                expr: up == 0
        """, ExprChecker.basic()).groups(), q, Route.builder("r").build())
        .step(Duration.ofMinutes(1));
  }

  @Test
  void run_overTheEvaluationCap_isRefusedBeforeAnyQuery() {
    AtomicInteger queries = new AtomicInteger();
    Backtest bt = backtest((e, t) -> {
      queries.incrementAndGet();
      return List.of();
    });
    // 2 rules x (50,000 minutes + 1) evaluations > 100,000.
    Instant to = T0.plus(Duration.ofMinutes(50_000));
    assertThat(bt.evaluations(T0, to)).isEqualTo(100_002);
    assertThatThrownBy(() -> bt.run(T0, to))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("backtest: 100002 rule evaluations (limit: 100000; shorten the range or "
            + "send fewer rules)");
    assertThat(queries).hasValue(0);
    assertThat(bt.evaluations(T0, T0.plus(Duration.ofMinutes(49_999)))).isEqualTo(100_000);
  }

  @Test
  void run_pastItsDeadline_stops() {
    AtomicInteger queries = new AtomicInteger();
    Backtest bt = backtest((e, t) -> {
      queries.incrementAndGet();
      Thread.sleep(20);
      return List.of(Sample.of(0));
    }).deadline(Duration.ofMillis(200));
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> bt.run(T0, T0.plus(Duration.ofDays(10))))
        .isInstanceOf(Backtest.DeadlineExceededException.class)
        .hasMessageStartingWith("backtest: deadline of 200 ms exceeded at 2026-01-01T00:");
    // 28,802 queries unbounded (~10 min); stopped after a handful, within a generous bound.
    assertThat(queries.get()).isLessThan(2_000);
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(20_000);
  }

  @Test
  void run_cancelled_stops() {
    AtomicInteger queries = new AtomicInteger();
    Backtest bt = backtest((e, t) -> {
      queries.incrementAndGet();
      return List.of();
    }).cancelWhen(() -> queries.get() >= 10);
    assertThatThrownBy(() -> bt.run(T0, T0.plus(Duration.ofDays(10))))
        .isInstanceOf(CancellationException.class)
        .hasMessageStartingWith("backtest: cancelled at ");
    assertThat(queries.get()).isBetween(10, 12);
  }
}
