package dev.sextant.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sextant.alert.internal.delivery.Integration;
import dev.sextant.alert.internal.delivery.Receiver;
import dev.sextant.storage.metrics.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A pasted alertmanager.yml either works or fails naming the line and key it does not support. */
class NotifierConfigTest {
  static final String FULL = """
      global:
        resolve_timeout: 2m
      route:
        receiver: oncall
        group_by: [alertname]
        routes:
          - receiver: team
            matchers: ['team="api"']
            mute_time_intervals: [weekends]
            active_time_intervals: [office]
      receivers:
        - name: oncall
          pagerduty_configs:
            - routing_key: pd-secret-key
              url: http://127.0.0.1:1/v2/enqueue
          webhook_configs:
            - url: http://127.0.0.1:1/hook-a?token=hook-secret
              send_resolved: false
              http_config:
                basic_auth: {username: sextant, password: pw-secret}
            - url: http://127.0.0.1:1/hook-b
              http_config:
                authorization: {credentials: bearer-secret}
        - name: team
      time_intervals:
        - name: weekends
          time_intervals:
            - weekdays: [saturday, sunday]
        - name: office
          time_intervals:
            - times: [{start_time: 09:00, end_time: 17:00}]
              weekdays: ['monday:friday']
              location: Europe/Berlin
      """;

  @Test
  void parse_severalIntegrationsPerReceiverWithTheirSettings() {
    NotifierConfig c = NotifierConfig.parse(FULL, "http://sextant");
    List<Receiver> rs = c.receivers();
    assertThat(rs).extracting(r -> ((Integration) r).id()).containsExactly(
        "oncall/pagerduty_configs[0]", "oncall/webhook_configs[0]", "oncall/webhook_configs[1]");
    assertThat(rs).extracting(r -> ((Integration) r).sendResolved())
        .containsExactly(true, false, true);
    assertThat(c.receiverNames()).containsExactly("oncall", "team");
    assertThat(c.resolveTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(rs.get(1).toString()).contains("basic sextant:<secret>").doesNotContain("pw-secret");
  }

  @Test
  void parse_timeIntervalsMuteAndActivateChildRoutes() {
    var team = NotifierConfig.parse(FULL, null).route().routes().get(0);
    // Wednesday 10:00 in Berlin (09:00 UTC): office hours, not a weekend.
    assertThat(team.mutedAt(Instant.parse("2026-12-02T09:00:00Z"))).isFalse();
    // Wednesday 20:00 Berlin: outside the active interval.
    assertThat(team.mutedAt(Instant.parse("2026-12-02T19:00:00Z"))).isTrue();
    // Saturday: muted.
    assertThat(team.mutedAt(Instant.parse("2026-12-05T10:00:00Z"))).isTrue();
    assertThat(team.match(Labels.of("team", "api"))).containsExactly(team);
  }

  @Test
  void original_masksSecretsAsAlertmanagerDoes() {
    String shown = NotifierConfig.parse(FULL, null).original();
    assertThat(shown).doesNotContain("pd-secret-key", "pw-secret", "bearer-secret", "hook-secret")
        .contains("routing_key: <secret>", "password: <secret>", "credentials: <secret>",
            "url: <secret>", "username: sextant", "resolve_timeout: 2m");
  }

  @Test
  void parse_unsupportedKeyNamesLineKeyAndWhatIsSupported() {
    assertThatThrownBy(() -> NotifierConfig.parse("""
        route:
          receiver: slack
        receivers:
          - name: slack
            slack_configs:
              - channel: '#alerts'
        """, null)).hasMessage("line 5: receivers[0].slack_configs: not supported (supported:"
            + " name, webhook_configs, pagerduty_configs)");
    assertThatThrownBy(() -> NotifierConfig.parse("""
        route:
          receiver: a
          routes:
            - receiver: a
              group_wiat: 1s
        receivers: [{name: a}]
        """, null)).hasMessageStartingWith("line 5: route.routes[0].group_wiat: not supported");
    assertThatThrownBy(() -> NotifierConfig.parse("""
        route: {receiver: a}
        receivers:
          - name: a
            webhook_configs:
              - url: http://x/
                http_config:
                  tls_config: {insecure_skip_verify: true}
        """, null)).hasMessageStartingWith(
            "line 7: receivers[0].webhook_configs[0].http_config.tls_config: not supported");
    assertThatThrownBy(() -> NotifierConfig.parse("route: {receiver: a}\nreceivers: [{name: a}]\n"
        + "templates: ['/etc/am/*.tmpl']\n", null))
        .hasMessageStartingWith("line 3: templates: not supported (supported: global, route,");
  }

  @Test
  void parse_badTimeIntervalsAndAuthAreRefusedWithTheirKey() {
    String base = "route:\n  receiver: a\n  routes:\n    - receiver: a\n"
        + "      mute_time_intervals: [%s]\nreceivers:\n  - name: a\n%s"
        + "time_intervals:\n  - name: night\n    time_intervals:\n      - %s\n";
    assertThatThrownBy(() -> NotifierConfig.parse(base.formatted("nite", "", "weekdays: [monday]"),
        null)).hasMessage("line 5: route.routes[0].mute_time_intervals[0]: nite (expected: one of"
            + " the time_intervals [night])");
    assertThatThrownBy(() -> NotifierConfig.parse(base.formatted("night", "",
        "times: [{start_time: '22:00', end_time: '06:00'}]"), null))
        .hasMessageContaining("time_intervals[0].time_intervals[0].times[0].end_time: 06:00"
            + " (expected: after start_time 22:00)");
    assertThatThrownBy(() -> NotifierConfig.parse(base.formatted("night", "",
        "weekdays: [funday]"), null))
        .hasMessageContaining("weekdays[0]: funday (expected: a weekday name)");
    assertThatThrownBy(() -> NotifierConfig.parse(base.formatted("night", "",
        "days_of_month: ['-1:5']"), null)).hasMessageContaining("days_of_month[0]: -1:5");
    assertThatThrownBy(() -> NotifierConfig.parse(base.formatted("night", "",
        "location: Mars/Olympus"), null)).hasMessageContaining("location: Mars/Olympus");
    assertThatThrownBy(() -> NotifierConfig.parse(base.formatted("night", """
            webhook_configs:
              - url: http://x/
                http_config:
                  basic_auth: {username: u, password: p, password_file: /f}
        """, "weekdays: [monday]"), null)).hasMessageContaining(
            "receivers[0].webhook_configs[0].http_config.basic_auth.password: exactly one of"
            + " password and password_file");
    assertThatThrownBy(() -> NotifierConfig.parse("""
        route:
          receiver: a
          mute_time_intervals: [x]
        receivers: [{name: a}]
        time_intervals: [{name: x, time_intervals: []}]
        """, null)).hasMessageStartingWith("line 3: route.mute_time_intervals: root route");
    assertThatThrownBy(() -> NotifierConfig.parse("""
        route: {receiver: a}
        receivers:
          - name: a
            webhook_configs: [{url: 'http://x/', send_resolved: maybe}]
        """, null)).hasMessageContaining(
            "receivers[0].webhook_configs[0].send_resolved: maybe (expected: true or false)");
  }

  @Test
  void of_sectionAsReadKeepsPathsForTheCallerToLocate() {
    assertThatThrownBy(() -> NotifierConfig.of(Map.of("route", Map.of(
        "receiver", "a"), "receivers", List.of(Map.of("name", "a",
            "email_configs", List.of()))), null))
        .hasMessageStartingWith("receivers[0].email_configs: not supported");
  }
}
