package dev.sextant.alert.internal.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sextant.alert.internal.notify.AlertEvent;
import dev.sextant.alert.notify.Matchers;
import dev.sextant.alert.notify.Silence;
import dev.sextant.alert.notify.Silences;
import dev.sextant.storage.metrics.Labels;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class DispatcherTest {
  static final class TestClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  final TestClock clock = new TestClock();
  final List<Notification> sent = new ArrayList<>();
  final Route route = Route.builder("default").groupBy("alertname")
      .groupWait(Duration.ofSeconds(30)).groupInterval(Duration.ofMinutes(5))
      .repeatInterval(Duration.ofHours(4))
      .route(RouteBuilder.child().receiver("pagerduty").matchers("severity=~\"critical|page\"")
          .continueMatching(true))
      .route(RouteBuilder.child().receiver("team-api").matchers("team=\"api\""))
      .build();

  AlertEvent firing(String name, String... labels) {
    List<String> nv = new ArrayList<>(List.of("alertname", name));
    nv.addAll(List.of(labels));
    return new AlertEvent(Labels.of(nv.toArray(new String[0])), Map.of("summary", name),
        clock.now.minusSeconds(60), clock.now.plus(Duration.ofMinutes(4)), "http://x/graph");
  }

  AlertEvent resolved(AlertEvent a) {
    return new AlertEvent(a.labels(), a.annotations(), a.startsAt(), clock.now, a.generatorUrl());
  }

  void advance(Duration d) {
    clock.now = clock.now.plus(d);
  }

  @Test
  void route_matchesWithContinueAndInherits() {
    Labels l = Labels.of("alertname", "X", "severity", "critical", "team", "api");
    assertThat(route.match(l)).extracting(Route::receiver).containsExactly("pagerduty", "team-api");
    assertThat(route.match(Labels.of("alertname", "X"))).extracting(Route::receiver)
        .containsExactly("default");
    assertThat(route.routes().get(0).groupWait()).isEqualTo(Duration.ofSeconds(30));
    assertThat((Object) route.routes().get(0).groupLabels(l)).isEqualTo(Labels.of("alertname", "X"));
  }

  @Test
  void tick_groupWaitThenRepeatThenResolve() {
    Dispatcher d = Dispatcher.builder(route, sent::add).clock(clock).build();
    AlertEvent a = firing("HighErrorRate", "severity", "critical", "instance", "a");
    AlertEvent b = firing("HighErrorRate", "severity", "critical", "instance", "b");
    d.send(List.of(a));
    d.tick();
    assertThat(sent).isEmpty();
    advance(Duration.ofSeconds(10));
    d.send(List.of(b));
    advance(Duration.ofSeconds(20));
    d.tick();
    assertThat(sent).singleElement().satisfies(n -> {
      assertThat(n.receiver()).isEqualTo("pagerduty");
      assertThat(n.status()).isEqualTo("firing");
      assertThat(n.alerts()).hasSize(2);
      assertThat((Object) n.groupLabels()).isEqualTo(Labels.of("alertname", "HighErrorRate"));
      assertThat(n.commonLabels()).containsEntry("severity", "critical").doesNotContainKey("instance");
    });
    // Nothing new at the next group interval: no notification.
    advance(Duration.ofMinutes(5));
    d.send(List.of(firing("HighErrorRate", "severity", "critical", "instance", "a"),
        firing("HighErrorRate", "severity", "critical", "instance", "b")));
    d.tick();
    assertThat(sent).hasSize(1);
    // One resolves: a notification with one firing and one resolved alert.
    advance(Duration.ofMinutes(5));
    d.send(List.of(resolved(a), firing("HighErrorRate", "severity", "critical", "instance", "b")));
    d.tick();
    assertThat(sent).hasSize(2);
    assertThat(sent.get(1).firing()).hasSize(1);
    assertThat(sent.get(1).resolved()).hasSize(1);
    String key = sent.get(0).groupKey();
    advance(Duration.ofMinutes(5));
    d.send(List.of(resolved(b)));
    d.tick();
    assertThat(sent).hasSize(3);
    assertThat(sent.get(2).status()).isEqualTo("resolved");
    assertThat(sent.get(2).groupKey()).isEqualTo(key);
  }

  @Test
  void tick_silencedWhileFiringStillSendsResolve() {
    Silences silences = new Silences(null, clock);
    Dispatcher d = Dispatcher.builder(route, sent::add).clock(clock).silences(silences).build();
    AlertEvent a = firing("Down", "severity", "page");
    d.send(List.of(a));
    advance(Duration.ofSeconds(30));
    d.tick();
    assertThat(sent).hasSize(1);
    silences.add(new Silence("", List.of("alertname=\"Down\""), clock.now,
        clock.now.plus(Duration.ofHours(2)), "me", "maintenance"));
    // While silenced: no repeat, no resolve.
    for (int i = 0; i < 20; i++) {
      advance(Duration.ofMinutes(5));
      d.send(List.of(firing("Down", "severity", "page")));
      d.tick();
    }
    assertThat(sent).as(sent.toString()).hasSize(1);
    // Resolved while the silence is active: the resolve still goes out.
    d.send(List.of(resolved(a)));
    advance(Duration.ofMinutes(5));
    d.tick();
    assertThat(sent).hasSize(2);
    assertThat(sent.get(1).status()).isEqualTo("resolved");
  }

  @Test
  void tick_silencedBeforeFiringNeverNotifies() {
    Silences silences = new Silences(null, clock);
    silences.add(new Silence("s1", List.of("alertname=~\"Do.*\""), clock.now,
        clock.now.plus(Duration.ofHours(2)), "me", ""));
    Dispatcher d = Dispatcher.builder(route, sent::add).clock(clock).silences(silences).build();
    AlertEvent a = firing("Down", "severity", "page");
    d.send(List.of(a));
    advance(Duration.ofSeconds(30));
    d.tick();
    d.send(List.of(resolved(a)));
    advance(Duration.ofMinutes(5));
    d.tick();
    assertThat(sent).isEmpty();
    assertThat(silences.expire("s1")).isTrue();
    assertThat(silences.list()).singleElement().satisfies(s -> assertThat(s.state(clock.now)).isEqualTo("expired"));
  }

  @Test
  void tick_inhibitedTargetIsMuted() {
    Dispatcher d = Dispatcher.builder(Route.builder("default").groupBy("...").groupWait(Duration.ZERO).build(), sent::add)
        .clock(clock)
        .inhibitRule(InhibitRule.of(List.of("severity=\"critical\""), List.of("severity=\"warning\""),
            List.of("cluster")))
        .build();
    d.send(List.of(firing("ClusterDown", "severity", "critical", "cluster", "eu"),
        firing("SlowApi", "severity", "warning", "cluster", "eu"),
        firing("SlowApi", "severity", "warning", "cluster", "us")));
    d.tick();
    assertThat(sent).extracting(n -> n.alerts().get(0).labels().get("alertname") + "/"
        + n.alerts().get(0).labels().get("cluster"))
        .containsExactlyInAnyOrder("ClusterDown/eu", "SlowApi/us");
  }

  @Test
  void parse_matchers() {
    assertThat(Matchers.parse("{a=\"1\", b=~\"x|y\",c!=z}")).hasSize(3);
    Assertions.assertThatThrownBy(() -> Matchers.parse("foo"))
        .hasMessageContaining("foo");
  }

  @Test
  void tick_muteTimeIntervalHoldsNotificationsUntilItEnds() {
    // Muted from 00:00 to 01:00 UTC (the test clock starts at 00:00).
    TimeInterval night = new TimeInterval(List.of(new TimeInterval.Range(0, 60)), List.of(),
        List.of(), List.of(), List.of(), ZoneOffset.UTC);
    Route r = Route.builder("default").groupWait(Duration.ofSeconds(30))
        .groupInterval(Duration.ofMinutes(5))
        .route(RouteBuilder.child().receiver("night").matchers("team=\"api\"")
            .muteTimeIntervals(List.of(night)))
        .build();
    Dispatcher d = Dispatcher.builder(r, sent::add).clock(clock).build();
    for (int i = 0; i < 19; i++) { // until 00:57, re-sent as a rule re-sends firing alerts
      d.send(List.of(firing("Down", "team", "api"), firing("Other")));
      advance(Duration.ofMinutes(3));
      d.tick();
    }
    assertThat(sent).extracting(Notification::receiver).containsExactly("default");
    advance(Duration.ofMinutes(6)); // 01:03: the interval is over, the group is due
    d.send(List.of(firing("Down", "team", "api")));
    d.tick();
    assertThat(sent).filteredOn(n -> n.receiver().equals("night")).singleElement()
        .satisfies(n -> assertThat(n.status()).isEqualTo("firing"));
  }

  @Test
  void offer_refusesAlertsPastTheLimitAndViewsShowStatus() {
    Silences silences = new Silences(null, clock);
    Dispatcher d = Dispatcher.builder(route, sent::add).clock(clock).silences(silences)
        .inhibitRule(InhibitRule.of(List.of("severity=\"critical\""),
            List.of("severity=\"warning\""), List.of("team")))
        .maxAlerts(3).build();
    AlertEvent crit = firing("Down", "severity", "critical", "team", "api");
    AlertEvent warn = firing("Slow", "severity", "warning", "team", "api");
    AlertEvent other = firing("Disk", "team", "db");
    assertThat(d.offer(List.of(crit, warn, other))).isTrue();
    assertThat(d.offer(List.of(firing("Fourth")))).isFalse();
    assertThat(d.offer(List.of(firing("Disk", "team", "db")))).isTrue(); // known: no growth
    String id = silences.add(new Silence("", List.of("alertname=\"Disk\""), clock.now,
        clock.now.plus(Duration.ofHours(1)), "me", "")).id();
    var view = d.view();
    assertThat(view).hasSize(3);
    assertThat(view.get(0).receivers()).containsExactly("pagerduty", "team-api");
    assertThat(view.get(0).silencedBy()).isEmpty();
    assertThat(view.get(1).inhibitedBy()).containsExactly(Dispatcher.fingerprint(crit.labels()));
    assertThat(view.get(2).silencedBy()).containsExactly(id);
    assertThat(d.groups()).extracting(Dispatcher.GroupView::receiver)
        .contains("pagerduty", "team-api", "default");
  }
}
