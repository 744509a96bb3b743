package dev.sextant.alert.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import dev.sextant.alert.AlertEngine;
import dev.sextant.alert.NotifierConfig;
import dev.sextant.alert.query.QueryFunction;
import dev.sextant.alert.api.PostedAlerts;
import dev.sextant.alert.rules.RuleFileResult;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alertmanager's API v2 served by a real Armeria server over a real engine. */
class AlertmanagerApiTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;
  AlertEngine engine;
  Server server;
  WebClient client;

  @BeforeEach
  void start() {
    NotifierConfig c = NotifierConfig.parse("""
        global: {resolve_timeout: 1m}
        route:
          receiver: default
          group_by: [alertname]
          routes:
            - receiver: pager
              matchers: ['severity="critical"']
        receivers:
          - name: default
          - name: pager
            pagerduty_configs: [{routing_key: very-secret, url: 'http://127.0.0.1:1/'}]
        inhibit_rules:
          - source_matchers: ['severity="critical"']
            target_matchers: ['severity="warning"']
            equal: [service]
        """, null);
    QueryFunction none = (expr, t) -> List.of();
    engine = AlertEngine.builder(none, dir, c).build();
    AlertApi api = AlertApi.builder().engines(new AlertApi.Engines() {
      @Override
      public String current() {
        return "default";
      }

      @Override
      public AlertEngine existing(String scope) {
        return engine;
      }

      @Override
      public AlertEngine engine(String scope) {
        return engine;
      }

      @Override
      public List<RuleFileResult> reload(String scope) {
        return List.of();
      }

      @Override
      public NotifierConfig notifier(String scope) {
        return c;
      }

      @Override
      public QueryFunction query(String scope) {
        return none;
      }
    }).build();
    server = Server.builder().http(0).service(api).build();
    server.start().join();
    client = WebClient.of("http://127.0.0.1:" + server.activeLocalPort());
  }

  @AfterEach
  void stop() {
    server.stop().join();
    engine.close();
  }

  AggregatedHttpResponse post(String body) {
    return client.prepare().post("/api/v2/alerts").content(MediaType.JSON, body).execute()
        .aggregate().join();
  }

  JsonNode get(String path) throws Exception {
    AggregatedHttpResponse r = client.get(path).aggregate().join();
    assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(200);
    return JSON.readTree(r.contentUtf8());
  }

  @Test
  void postAlerts_routedInhibitedAndShownInAlertmanagersShapes() throws Exception {
    assertThat(post("""
        [{"labels": {"alertname": "Down", "severity": "critical", "service": "api"},
          "annotations": {"summary": "api down"}, "generatorURL": "http://prom/graph"},
         {"labels": {"alertname": "Slow", "severity": "warning", "service": "api"},
          "startsAt": "2026-01-01T00:00:00Z"}]
        """).status().code()).isEqualTo(200);
    JsonNode alerts = get("/api/v2/alerts");
    assertThat(alerts).hasSize(2);
    JsonNode down = alerts.get(0);
    assertThat(down.get("labels").get("alertname").asText()).isEqualTo("Down");
    assertThat(down.get("annotations").get("summary").asText()).isEqualTo("api down");
    assertThat(down.get("generatorURL").asText()).isEqualTo("http://prom/graph");
    assertThat(down.get("receivers").get(0).get("name").asText()).isEqualTo("pager");
    assertThat(down.get("status").get("state").asText()).isEqualTo("active");
    assertThat(down.get("fingerprint").asText()).hasSize(16);
    // No endsAt: it ends resolve_timeout (1m) after it was posted.
    Duration left = Duration.between(Instant.now(), Instant.parse(down.get("endsAt").asText()));
    assertThat(left).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(61));
    JsonNode slow = alerts.get(1);
    assertThat(slow.get("startsAt").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(slow.get("status").get("state").asText()).isEqualTo("suppressed");
    assertThat(slow.get("status").get("inhibitedBy").get(0).asText())
        .isEqualTo(down.get("fingerprint").asText());
    assertThat(get("/api/v2/alerts?inhibited=false")).hasSize(1);
    assertThat(get("/api/v2/alerts?filter=alertname%3D%22Slow%22")).hasSize(1);
    assertThat(get("/api/v2/alerts?receiver=pag.*")).hasSize(1);
    assertThat(get("/api/v2/alerts?active=false")).hasSize(1);
    JsonNode groups = get("/api/v2/alerts/groups");
    assertThat(groups).hasSize(2);
    assertThat(groups.findValuesAsText("name")).contains("pager", "default");
    // A resolved alert posted again: gone from the list.
    assertThat(post("""
        [{"labels": {"alertname": "Down", "severity": "critical", "service": "api"},
          "startsAt": "2026-01-01T00:00:00Z", "endsAt": "2026-01-01T00:05:00Z"}]
        """).status().code()).isEqualTo(200);
    assertThat(get("/api/v2/alerts").findValuesAsText("alertname")).containsExactly("Slow");
  }

  @Test
  void statusAndReceivers_inAlertmanagersShapesWithSecretsMasked() throws Exception {
    JsonNode status = get("/api/v2/status");
    assertThat(status.get("cluster").get("status").asText()).isEqualTo("disabled");
    assertThat(status.get("versionInfo").has("version")).isTrue();
    assertThat(status.get("config").get("original").asText())
        .contains("routing_key: <secret>").doesNotContain("very-secret");
    assertThat(Instant.parse(status.get("uptime").asText())).isBefore(Instant.now().plusSeconds(1));
    assertThat(get("/api/v2/receivers").findValuesAsText("name")).containsExactly("default", "pager");
  }

  @Test
  void postAlerts_badInputNamesFieldAndLimitAndKeepsTheValidOnes() throws Exception {
    AggregatedHttpResponse r = post("""
        [{"labels": {"alertname": "Good"}},
         {"labels": {"1bad": "x"}},
         {"labels": {}},
         {"labels": {"alertname": "Late"}, "startsAt": "2026-01-02T00:00:00Z",
          "endsAt": "2026-01-01T00:00:00Z"},
         {"labels": {"alertname": "T"}, "startsAt": "yesterday"}]
        """);
    assertThat(r.status().code()).isEqualTo(400);
    assertThat(JSON.readTree(r.contentUtf8()).asText())
        .startsWith("4 of 5 alerts refused: ")
        .contains("alerts[1].labels.1bad: invalid label name")
        .contains("alerts[2].labels: empty (expected: at least one label)")
        .contains("alerts[3].endsAt: 2026-01-01T00:00:00Z (expected: not before startsAt")
        .contains("alerts[4].startsAt: \"yesterday\" (expected: an RFC 3339 time)");
    assertThat(get("/api/v2/alerts").findValuesAsText("alertname")).containsExactly("Good");
    String tooMany = IntStream.range(0, PostedAlerts.MAX_ALERTS + 1)
        .mapToObj(i -> "{\"labels\":{\"alertname\":\"A" + i + "\"}}")
        .collect(Collectors.joining(",", "[", "]"));
    AggregatedHttpResponse many = post(tooMany);
    assertThat(many.status().code()).isEqualTo(400);
    assertThat(many.contentUtf8()).contains("alerts: 1001 alerts (expected: at most 1000 per request)");
    String big = "x".repeat(PostedAlerts.MAX_VALUE + 1);
    assertThat(post("[{\"labels\":{\"alertname\":\"" + big + "\"}}]").contentUtf8())
        .contains("alerts[0].labels.alertname: 16385 characters (expected: at most 16384)");
    assertThat(post("{\"labels\":{}}").contentUtf8())
        .contains("alerts: expected a JSON list of alerts");
    assertThat(client.get("/api/v2/alerts?silenced=maybe").aggregate().join().contentUtf8())
        .contains("silenced: maybe (expected: true or false)");
  }
}
