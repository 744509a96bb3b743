package dev.sextant.alert.eval;

import dev.sextant.alert.query.Sample;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.alert.internal.notify.AlertEvent;
import dev.sextant.alert.internal.store.AlertDb;
import dev.sextant.alert.rules.ExprChecker;
import dev.sextant.alert.rules.RuleFiles;
import dev.sextant.alert.rules.RuleGroupConfig;
import dev.sextant.storage.metrics.StaleMarker;
import dev.sextant.storage.metrics.TimeSeries;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleManagerTest {
  static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  static final String RULES = """
      groups:
        - name: api
          interval: 1m
          rules:
            - alert: HighErrorRate
              expr: rate(http_errors_total[5m]) > 0.05
              for: 5m
              labels:
                severity: critical
              annotations:
                description: "Error rate is {{ $value }} for {{ $labels.endpoint }}"
                playbook: "https://wiki.internal/playbooks/high-error-rate"
            - alert: Flappy
              expr: flappy
              keep_firing_for: 3m
            - record: job:errors:rate5m
              expr: sum by (job) (rate(http_errors_total[5m]))
      """;

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  volatile double errorRate = 0.1;
  volatile boolean flappy = true;
  final List<AlertEvent> sent = new ArrayList<>();
  final List<TimeSeries> written = new ArrayList<>();

  List<Sample> query(String expr, Instant t) {
    if (expr.startsWith("rate(")) {
      return errorRate > 0.05 ? List.of(Sample.of(errorRate, "endpoint", "/api", "job", "shop"))
          : List.of();
    }
    if (expr.equals("flappy")) {
      return flappy ? List.of(Sample.of(1, "__name__", "flappy")) : List.of();
    }
    return errorRate > 0 ? List.of(Sample.of(errorRate, "job", "shop")) : List.of();
  }

  RuleManager manager(AlertDb db) {
    RuleManagerBuilder b = RuleManager.builder(this::query).clock(clock)
        .notifier(sent::addAll).externalUrl("http://sextant:8686")
        .writer(s -> {
          written.addAll(s);
          return CompletableFuture.completedFuture(null);
        });
    if (db != null) {
      b.stateStore(db);
    }
    RuleManager m = b.build();
    List<RuleGroupConfig> groups = RuleFiles.parse("r.yml", RULES, ExprChecker.basic()).groups();
    m.update(groups);
    return m;
  }

  Alert alert(RuleManager m, String name) {
    return m.alerts().stream().filter(a -> a.labels().get("alertname").equals(name)).findFirst()
        .orElse(null);
  }

  void step(RuleManager m, int minutes) {
    for (int i = 0; i < minutes; i++) {
      clock.advance(Duration.ofMinutes(1));
      m.tick();
    }
  }

  @Test
  void tick_pendingThenFiringThenResolved() {
    RuleManager m = manager(null);
    m.tick();
    Alert a = alert(m, "HighErrorRate");
    assertThat(a.state()).isEqualTo(AlertState.PENDING);
    assertThat(a.annotations().get("description")).isEqualTo("Error rate is 0.1 for /api");
    assertThat(a.labels().toMap()).containsEntry("severity", "critical").containsEntry("job", "shop")
        .doesNotContainKey("__name__");
    assertThat(sent).noneMatch(e -> e.alertName().equals("HighErrorRate"));
    assertThat(written).anyMatch(s -> s.labels().toString()
        .equals("ALERTS{alertname=\"HighErrorRate\", alertstate=\"pending\", endpoint=\"/api\", job=\"shop\", severity=\"critical\"}"));
    assertThat(written).anyMatch(s -> s.labels().metricName().equals("ALERTS_FOR_STATE")
        && s.values()[0] == clock.now.getEpochSecond());
    assertThat(written).anyMatch(s -> s.labels().metricName().equals("job:errors:rate5m"));

    step(m, 4);
    assertThat(alert(m, "HighErrorRate").state()).isEqualTo(AlertState.PENDING);
    step(m, 1);
    a = alert(m, "HighErrorRate");
    assertThat(a.state()).isEqualTo(AlertState.FIRING);
    assertThat(a.firedAt()).isEqualTo(clock.now);
    List<AlertEvent> fired = sent.stream().filter(e -> e.alertName().equals("HighErrorRate")).toList();
    assertThat(fired).singleElement().satisfies(e -> {
      assertThat(e.endsAt()).isAfter(clock.now);
      assertThat(e.generatorUrl()).startsWith("http://sextant:8686/graph?g0.expr=");
    });

    // Re-sent only after the resend delay (1m): next tick is exactly 1m later, "before" is strict.
    step(m, 1);
    assertThat(sent.stream().filter(e -> e.alertName().equals("HighErrorRate"))).hasSize(1);
    step(m, 1);
    assertThat(sent.stream().filter(e -> e.alertName().equals("HighErrorRate"))).hasSize(2);

    errorRate = 0;
    written.clear();
    step(m, 1);
    a = alert(m, "HighErrorRate");
    assertThat(a.state()).isEqualTo(AlertState.INACTIVE);
    assertThat(a.resolvedAt()).isEqualTo(clock.now);
    List<AlertEvent> mine = sent.stream().filter(e -> e.alertName().equals("HighErrorRate")).toList();
    AlertEvent last = mine.get(mine.size() - 1);
    assertThat(last.endsAt()).isEqualTo(clock.now);
    assertThat(written).anyMatch(s -> s.labels().metricName().equals("ALERTS")
        && StaleMarker.isStale(s.values()[0]));
    assertThat(written).anyMatch(s -> s.labels().metricName().equals("job:errors:rate5m")
        && StaleMarker.isStale(s.values()[0]));
    // Kept 15m for re-sending the resolution, then dropped.
    step(m, 16);
    assertThat(alert(m, "HighErrorRate")).isNull();
  }

  @Test
  void tick_keepFiringFor() {
    RuleManager m = manager(null);
    m.tick();
    assertThat(alert(m, "Flappy").state()).isEqualTo(AlertState.FIRING);
    flappy = false;
    step(m, 2);
    assertThat(alert(m, "Flappy").state()).isEqualTo(AlertState.FIRING);
    assertThat(alert(m, "Flappy").keepFiringSince()).isNotNull();
    flappy = true;
    step(m, 1);
    assertThat(alert(m, "Flappy").keepFiringSince()).isNull();
    flappy = false;
    step(m, 3);
    assertThat(alert(m, "Flappy").state()).isEqualTo(AlertState.FIRING);
    step(m, 1);
    assertThat(alert(m, "Flappy").state()).isEqualTo(AlertState.INACTIVE);
  }

  @Test
  void tick_evaluatesOncePerInterval() {
    RuleManager m = manager(null);
    m.tick();
    int n = written.size();
    clock.advance(Duration.ofSeconds(30));
    m.tick();
    assertThat(written).hasSize(n);
    clock.advance(Duration.ofSeconds(30));
    m.tick();
    assertThat(written.size()).isGreaterThan(n);
  }

  @Test
  void update_restartKeepsPendingTimerAndFiringWithoutDuplicatePage(@TempDir Path dir) {
    try (AlertDb db = AlertDb.open(dir)) {
      RuleManager m = manager(db);
      step(m, 3); // HighErrorRate pending for 2m (activeAt at first tick)
      assertThat(alert(m, "HighErrorRate").state()).isEqualTo(AlertState.PENDING);
      assertThat(alert(m, "Flappy").state()).isEqualTo(AlertState.FIRING);
    }
    long flappyPages = sent.stream().filter(e -> e.alertName().equals("Flappy")).count();
    clock.advance(Duration.ofSeconds(20)); // a short outage
    try (AlertDb db = AlertDb.open(dir)) {
      RuleManager m = manager(db);
      Alert restored = alert(m, "Flappy");
      assertThat(restored.state()).isEqualTo(AlertState.FIRING);
      assertThat(restored.lastSentAt()).isNotNull();
      clock.advance(Duration.ofSeconds(40));
      m.tick();
      // Still firing, sent 1m ago: no new page.
      assertThat(sent.stream().filter(e -> e.alertName().equals("Flappy"))).hasSize((int) flappyPages);
      // Pending progress kept: 2m before, 3 more minutes (the outage does not count).
      step(m, 2);
      assertThat(alert(m, "HighErrorRate").state()).isEqualTo(AlertState.PENDING);
      step(m, 1);
      assertThat(alert(m, "HighErrorRate").state()).isEqualTo(AlertState.FIRING);
    }
  }
}
