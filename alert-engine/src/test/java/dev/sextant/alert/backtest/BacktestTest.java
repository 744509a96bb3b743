package dev.sextant.alert.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.alert.query.Sample;
import dev.sextant.alert.internal.notify.Route;
import dev.sextant.alert.internal.notify.RouteBuilder;
import dev.sextant.alert.notify.Silence;
import dev.sextant.alert.rules.ExprChecker;
import dev.sextant.alert.rules.RuleFiles;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BacktestTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  // Errors above threshold from 00:10 to 00:40, and again from 02:00 to 02:20.
  static List<Sample> history(String expr, Instant t) {
    long min = Duration.between(T0, t).toMinutes();
    boolean bad = (min >= 10 && min < 40) || (min >= 120 && min < 140);
    return bad ? List.of(Sample.of(0.2, "job", "shop")) : List.of();
  }

  final Route route = Route.builder("pagerduty").groupBy("alertname")
      .groupWait(Duration.ofSeconds(30)).groupInterval(Duration.ofMinutes(5))
      .route(RouteBuilder.child().receiver("null").matchers("severity=\"info\""))
      .build();

  Backtest backtest() {
    return new Backtest(RuleFiles.parse("r.yml", """
        groups:
          - name: g
            rules:
              - alert: HighErrorRate
                expr: rate(errors[5m]) > 0.05
                for: 5m
                labels: {severity: critical}
                annotations: {runbook_url: "https://wiki/x"}
        """, ExprChecker.basic()).groups(), BacktestTest::history, route).step(Duration.ofSeconds(15));
  }

  @Test
  void run_timelineAndPages() {
    Backtest.Result r = backtest().run(T0, T0.plus(Duration.ofHours(3)));
    assertThat(r.timeline()).extracting(t -> Duration.between(T0, t.time()).toMinutes() + " " + t.to())
        .containsExactly("10 pending", "15 firing", "40 resolved", "120 pending", "125 firing", "140 resolved");
    assertThat(r.pages()).extracting(p -> p.receiver() + " " + p.status())
        .containsExactly("pagerduty firing", "pagerduty resolved", "pagerduty firing", "pagerduty resolved");
    assertThat(r.format()).contains("Timeline:").contains("Pages:").contains("firing=1 resolved=0");
  }

  @Test
  void run_silenceSuppressesSecondIncident() {
    Backtest.Result r = backtest()
        .silence(new Silence("s", List.of("alertname=\"HighErrorRate\""), T0.plus(Duration.ofMinutes(100)),
            T0.plus(Duration.ofMinutes(150)), "me", "deploy"))
        .run(T0, T0.plus(Duration.ofHours(3)));
    assertThat(r.pages()).extracting(p -> p.status()).containsExactly("firing", "resolved");
  }
}
