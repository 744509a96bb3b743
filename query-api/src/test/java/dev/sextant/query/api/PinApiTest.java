package dev.sextant.query.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogRecord;
import dev.sextant.storage.Retention;
import dev.sextant.storage.Span;
import dev.sextant.storage.SpanKind;
import dev.sextant.storage.StatusCode;
import dev.sextant.storage.embedded.DefaultEmbeddedStorage;
import dev.sextant.storage.embedded.EmbeddedStorage;
import dev.sextant.storage.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/pins} over real embedded storage (one-minute blocks, two minutes of retention, a
 * clock the test moves) behind a real Armeria server: a trace pinned through the API reads whole,
 * with its log lines, after retention dropped its blocks; one not pinned is gone.
 */
class PinApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MINUTE = 60_000;
  private static final long T0 = System.currentTimeMillis() / MINUTE * MINUTE;
  private static final String PINNED = "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1";
  private static final String OTHER = "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2";

  @TempDir
  Path dir;
  private final ManualClock now = new ManualClock(T0);
  private DefaultEmbeddedStorage storage;
  private Server server;
  private WebClient client;

  @BeforeEach
  void start() {
    storage = (DefaultEmbeddedStorage) EmbeddedStorage.builder().dataDir(dir)
        .retention(new Retention(Duration.ofMinutes(2), Duration.ofMinutes(2),
            Duration.ofDays(1)))
        .blockDuration(Duration.ofMinutes(1)).retentionCheckInterval(Duration.ofHours(1))
        .clock(now).build();
    for (String t : List.of(PINNED, OTHER)) {
      long start = T0 * 1_000_000L;
      storage.spanConsumer().accept(List.of(Span.builder().traceId(t).spanId("c000000000000001")
          .serviceName("payments").name("charge").kind(SpanKind.SERVER)
          .startTimeUnixNano(start).endTimeUnixNano(start + 5_000_000).statusCode(StatusCode.ERROR)
          .resourceAttributes(Map.of("service.name", "payments")).build())).join();
      storage.logConsumer().accept(List.of(LogRecord.builder().timeUnixNano(start + 1)
          .severityNumber(17).severityText("ERROR").body("charge failed " + t.charAt(0))
          .traceId(t).spanId("c000000000000001").serviceName("payments").build())).join();
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> storage.logReader()
        .search(LogQuery.builder().serviceName("payments").build()).records().size() == 2);
    server = Server.builder().http(0).gracefulShutdownTimeout(Duration.ZERO, Duration.ZERO)
        .service(QueryApi.builder().storage(storage).build()).build();
    server.start().join();
    client = WebClient.of("http://127.0.0.1:" + server.activeLocalPort());
  }

  @AfterEach
  void stop() {
    server.stop().join();
    storage.close();
  }

  private AggregatedHttpResponse send(HttpMethod method, String path, String body) {
    HttpRequest req = body == null ? HttpRequest.of(method, path)
        : HttpRequest.of(method, path, MediaType.JSON_UTF_8, body);
    return client.execute(req).aggregate().join();
  }

  private JsonNode json(AggregatedHttpResponse r, int status) throws Exception {
    assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(status);
    return JSON.readTree(r.contentUtf8());
  }

  @Test
  void pin_keepsTheTraceAndItsLogsPastRetention_unpinDropsThem() throws Exception {
    JsonNode pin = json(send(HttpMethod.POST, "/api/pins", "{\"traceId\":\"" + PINNED
        + "\",\"incidentId\":\"INC-7\",\"reason\":\"card processor outage\"}"), 200);
    assertThat(pin.path("spans").asInt()).isEqualTo(1);
    assertThat(pin.path("logs").asInt()).isEqualTo(1);
    assertThat(pin.path("pinnedBy").asText()).isEqualTo("anonymous");
    assertThat(pin.path("expiresAt").isNull()).isTrue();

    now.set(T0 + 4 * MINUTE);
    storage.applyRetention(now.millis());

    assertThat(send(HttpMethod.GET, "/api/traces/" + OTHER, null).status().code())
        .isEqualTo(404);
    JsonNode trace = json(send(HttpMethod.GET, "/api/traces/" + PINNED, null), 200);
    assertThat(trace.path("roots").get(0).path("service").asText()).isEqualTo("payments");
    assertThat(json(send(HttpMethod.GET, "/api/traces/" + PINNED + "/logs", null), 200)
        .toString()).contains("charge failed a").doesNotContain("charge failed b");

    JsonNode list = json(send(HttpMethod.GET, "/api/pins", null), 200).path("pins");
    assertThat(list).hasSize(1);
    assertThat(list.get(0).path("incidentId").asText()).isEqualTo("INC-7");
    assertThat(list.get(0).path("reason").asText()).isEqualTo("card processor outage");
    assertThat(list.get(0).path("traceId").asText()).isEqualTo(PINNED);

    String id = pin.path("id").asText();
    assertThat(json(send(HttpMethod.DELETE, "/api/pins/" + id, null), 200)
        .path("unpinned").asText()).isEqualTo(id);
    assertThat(send(HttpMethod.GET, "/api/traces/" + PINNED, null).status().code())
        .isEqualTo(404);
    assertThat(json(send(HttpMethod.GET, "/api/pins", null), 200).path("pins")).isEmpty();
  }

  @Test
  void resolve_setsTheExpiryOfTheIncidentsPins() throws Exception {
    json(send(HttpMethod.POST, "/api/pins", "{\"traceId\":\"" + PINNED
        + "\",\"incidentId\":\"INC-8\",\"reason\":\"r\"}"), 200);
    JsonNode r = json(send(HttpMethod.POST, "/api/pins/incidents/INC-8/resolve", ""), 200);
    assertThat(r.path("resolved").asInt()).isEqualTo(1);
    JsonNode p = json(send(HttpMethod.GET, "/api/pins", null), 200).path("pins").get(0);
    assertThat(Instant.parse(p.path("expiresAt").asText()))
        .isEqualTo(Instant.parse(p.path("resolvedAt").asText()).plus(Duration.ofDays(7)));
  }

  @Test
  void badRequests_nameTheFieldOrMethod() throws Exception {
    assertThat(json(send(HttpMethod.POST, "/api/pins", "{\"traceId\":\"xyz\"}"), 400)
        .path("error").asText()).startsWith("traceId: xyz (expected: 32 hex");
    assertThat(json(send(HttpMethod.POST, "/api/pins", "{}"), 400).path("error").asText())
        .startsWith("traceId, correlationId: '', '' (expected: exactly one of them)");
    assertThat(json(send(HttpMethod.POST, "/api/pins", "[1"), 400).path("error").asText())
        .startsWith("body: not JSON");
    assertThat(json(send(HttpMethod.POST, "/api/pins", "{\"correlationId\":\"c\",\"reason\":\""
        + "x".repeat(201) + "\"}"), 400).path("error").asText())
        .isEqualTo("reason: 201 characters (expected: <= 200)");
    assertThat(json(send(HttpMethod.DELETE, "/api/pins/nope", null), 404).path("error")
        .asText()).startsWith("id: nope");
    assertThat(json(send(HttpMethod.PUT, "/api/pins", "{}"), 405).path("error").asText())
        .isEqualTo("method: PUT (expected: GET or POST)");
  }
}
