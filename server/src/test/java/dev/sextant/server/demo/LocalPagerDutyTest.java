package dev.sextant.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The demo's PagerDuty: Events API v2 over real HTTP, checked and printed. */
class LocalPagerDutyTest {
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();
  private final LocalPagerDuty pd =
      new LocalPagerDuty(new PrintStream(console, true, StandardCharsets.UTF_8));

  @AfterEach
  void close() {
    pd.close();
  }

  private HttpResponse<String> post(String body) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(pd.url()))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static final String TRIGGER = "{\"routing_key\":\"k\",\"event_action\":\"trigger\","
      + "\"dedup_key\":\"abc123\",\"payload\":{\"summary\":\"High error rate on gateway\","
      + "\"source\":\"gateway\",\"severity\":\"critical\",\"custom_details\":{\"alerts\":[{"
      + "\"labels\":{\"job\":\"gateway\"},\"annotations\":{\"description\":\"42% fail\"}}],"
      + "\"evidence\":{\"traces\":[{\"href\":\"http://x/ui/traces/t1\",\"text\":\"gateway POST\"}],"
      + "\"error_logs\":[{\"message\":\"payment failed\",\"count\":3,\"service\":\"orders\"}]}}},"
      + "\"links\":[{\"href\":\"http://x/playbooks/high-error-rate.md\",\"text\":\"Playbook\"}]}";

  @Test
  void trigger_isAcceptedAndPrintedWithPlaybookAndEvidence_thenResolve() throws Exception {
    HttpResponse<String> r = post(TRIGGER);
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(r.body()).contains("\"dedup_key\":\"abc123\"").contains("success");
    assertThat(post(TRIGGER).statusCode()).isEqualTo(202);
    assertThat(post("{\"routing_key\":\"k\",\"event_action\":\"resolve\","
        + "\"dedup_key\":\"abc123\"}").statusCode()).isEqualTo(202);
    String out = console.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("PAGE TRIGGER [critical]: High error rate on gateway")
        .contains("alert     gateway: 42% fail")
        .contains("playbook  http://x/playbooks/high-error-rate.md")
        .contains("evidence  trace http://x/ui/traces/t1")
        .contains("evidence  log   3x [orders] payment failed")
        .contains("PAGE UPDATE (same incident abc123): High error rate on gateway")
        .contains("PAGE RESOLVE: High error rate on gateway");
    assertThat(pd.pages()).extracting(LocalPagerDuty.Page::action)
        .containsExactly("trigger", "trigger", "resolve");
  }

  @Test
  void invalidEvents_are400NamingTheField() throws Exception {
    assertThat(post("nope").body()).contains("body: not JSON");
    assertThat(post("{\"event_action\":\"trigger\"}").body()).contains("routing_key: missing");
    HttpResponse<String> r = post("{\"routing_key\":\"k\",\"event_action\":\"explode\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("event_action: 'explode'");
    assertThat(post("{\"routing_key\":\"k\",\"event_action\":\"trigger\",\"payload\":"
        + "{\"summary\":\"s\",\"source\":\"x\"}}").body()).contains("payload.severity: missing");
    assertThat(post("{\"routing_key\":\"k\",\"event_action\":\"resolve\"}").body())
        .contains("dedup_key: missing");
    assertThat(pd.pages()).isEmpty();
  }
}
