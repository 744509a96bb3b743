package dev.sextant.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sextant.server.SextantServer;
import io.opentelemetry.proto.logs.v1.LogRecord;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code target/sextant-agent.jar} on a front and a back {@link TestApp} JVM, sending
 * traces to a real Sextant server and logs and metrics to an in-memory OTLP receiver. A third JVM
 * runs the front with the rate-limited sampler against the same back service.
 */
class AgentIT {
  private static final Pattern BODY = Pattern.compile(
      "correlation=(.*);baggage=(.*);"
          + "traceparent=00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2});count=(\\d+)");
  private static final Pattern UUID = Pattern.compile(
      "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  static Path dataDir;
  @TempDir
  static Path workDir;
  static SextantServer sextant;
  static OtlpTestReceiver receiver;
  static ChildJvm back;
  static ChildJvm front;
  static ChildJvm limitedFront;
  static String frontUrl;
  static String limitedFrontUrl;

  @BeforeAll
  static void startEverything() throws Exception {
    sextant = SextantServer.builder().dataDir(dataDir).bindAddress("127.0.0.1")
        .grpcPort(0).otlpHttpPort(0).httpPort(0).build();
    sextant.start();
    receiver = new OtlpTestReceiver();
    // All three start together (agent start-up dominates this test's time); the fronts read
    // the back's URL from a file written once the back listens.
    Path backUrlFile = workDir.resolve("back-url");
    back = ChildJvm.start("back", agentArgs("back"), "back", "0");
    front = ChildJvm.start("front", agentArgs("front"), "front", "0", "@" + backUrlFile);
    List<String> limitedArgs = new ArrayList<>(agentArgs("front-limited"));
    limitedArgs.add("-Dsextant.sampler.rate-limit=2");
    limitedFront = ChildJvm.start("front-limited", limitedArgs, "front", "0", "@" + backUrlFile);
    Files.writeString(backUrlFile, "http://127.0.0.1:" + back.awaitPort(120_000));
    frontUrl = "http://127.0.0.1:" + front.awaitPort(120_000);
    limitedFrontUrl = "http://127.0.0.1:" + limitedFront.awaitPort(120_000);
  }

  private static List<String> agentArgs(String service) {
    return List.of(
        "-XX:TieredStopAtLevel=1", // faster start; these JVMs live for seconds
        "-javaagent:" + ChildJvm.agentJar(),
        "-Dsextant.endpoint=http://127.0.0.1:" + sextant.grpcPort(),
        "-Dsextant.service.name=" + service,
        // Sextant does not store logs and metrics yet: those go to the in-memory receiver.
        "-Dotel.exporter.otlp.logs.endpoint=" + receiver.endpoint(),
        "-Dotel.exporter.otlp.metrics.endpoint=" + receiver.endpoint(),
        "-Dotel.bsp.schedule.delay=200",
        "-Dotel.blrp.schedule.delay=200",
        "-Dotel.metric.export.interval=1000");
  }

  @AfterAll
  static void stopEverything() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {limitedFront, front, back, receiver, sextant}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @Test
  void checkout_oneTraceAcrossBothProcesses_withJdbcSpanAndCorrelationId() throws Exception {
    Checkout checkout = checkout(frontUrl, "it-corr-trace");
    assertThat(checkout.correlationId).isEqualTo("it-corr-trace");
    assertThat(checkout.baggage).contains("correlation_id=it-corr-trace");
    assertThat(checkout.sampled).isTrue();

    JsonNode trace = awaitTrace(checkout.traceId, 4);
    assertThat(trace.get("roots")).hasSize(1);
    JsonNode frontServer = trace.get("roots").get(0);
    assertSpan(frontServer, "front", "SERVER");
    JsonNode frontClient = onlyChild(frontServer);
    assertSpan(frontClient, "front", "CLIENT");
    JsonNode backServer = onlyChild(frontClient);
    assertSpan(backServer, "back", "SERVER");
    assertThat(backServer.get("parentSpanId").asText())
        .isEqualTo(frontClient.get("spanId").asText());
    JsonNode jdbc = onlyChild(backServer);
    assertSpan(jdbc, "back", "CLIENT");
    JsonNode dbSystem = jdbc.get("attributes").has("db.system.name")
        ? jdbc.get("attributes").get("db.system.name") : jdbc.get("attributes").get("db.system");
    assertThat(dbSystem).as("db system attribute of %s", jdbc).isNotNull();
    assertThat(dbSystem.asText()).isEqualTo("h2");
    for (JsonNode span : List.of(frontServer, frontClient, backServer, jdbc)) {
      assertThat(span.get("attributes").path("correlation_id").asText())
          .as("correlation_id of %s", span.get("name")).isEqualTo("it-corr-trace");
      // Off by Sextant's default (otel.javaagent.add-thread-details=false): cost, no use.
      assertThat(span.get("attributes").has("thread.name"))
          .as("thread.name on %s", span.get("name")).isFalse();
    }
  }

  @Test
  void checkout_withoutCorrelationHeader_generatesOneAtTheEdge() throws Exception {
    Checkout checkout = checkout(frontUrl, null);
    assertThat(checkout.correlationId).matches(UUID);
    JsonNode trace = awaitTrace(checkout.traceId, 4);
    JsonNode root = trace.get("roots").get(0);
    assertThat(root.get("attributes").path("correlation_id").asText())
        .isEqualTo(checkout.correlationId);
  }

  @Test
  void logs_carryTraceIdAndCorrelationId_inBothProcesses() throws Exception {
    Checkout checkout = checkout(frontUrl, "it-corr-logs");
    String expected = "trace_id=" + checkout.traceId + " span_id=";
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(front.lines()).anySatisfy(line -> assertThat(line)
          .contains("front: checkout started").contains(expected)
          .contains("correlation_id=it-corr-logs"));
      assertThat(back.lines()).anySatisfy(line -> assertThat(line)
          .contains("back: listing orders").contains(expected)
          .contains("correlation_id=it-corr-logs"));
    });
    // The same records over OTLP, with the attribute set by the log record processor.
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      Map<String, List<LogRecord>> records = receiver.logRecordsByService();
      assertThat(records.get("front")).anySatisfy(r -> assertLogRecord(r, checkout,
          "front: checkout started"));
      assertThat(records.get("back")).anySatisfy(r -> assertLogRecord(r, checkout,
          "back: listing orders"));
    });
  }

  @Test
  void saturationMetrics_exportedByDefault() {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Map<String, Set<String>> names = receiver.metricNamesByService();
      for (String service : List.of("front", "back")) {
        assertThat(names.get(service)).as(service).contains("jvm.cpu.recent_utilization",
            "jvm.memory.used", "jvm.memory.limit", "jvm.thread.count", "jvm.class.loaded");
      }
      assertThat(names.get("back")).as("back's pool metrics").containsAnyOf(
          "db.client.connections.usage", "db.client.connection.count");
    });
  }

  @Test
  void httpDurationHistograms_droppedWhileEveryTraceIsSampled_keptBehindTheRateLimiter()
      throws Exception {
    List<String> http = List.of("http.server.request.duration", "http.client.request.duration");
    checkout(frontUrl, "it-corr-metrics");
    checkout(limitedFrontUrl, "it-corr-metrics-limited");
    int frontExports = receiver.metricExports("front");
    int backExports = receiver.metricExports("back");
    // Cumulative histograms are in every export after their first value: two exports after
    // the requests, a histogram that was recorded would be there.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(receiver.metricExports("front")).isGreaterThanOrEqualTo(frontExports + 2);
      assertThat(receiver.metricExports("back")).isGreaterThanOrEqualTo(backExports + 2);
      // Spans there are a sample: span-derived RED would undercount, the histograms stay.
      assertThat(receiver.metricNamesByService().get("front-limited")).containsAll(http);
    });
    Map<String, Set<String>> names = receiver.metricNamesByService();
    for (String service : List.of("front", "back")) {
      assertThat(names.get(service)).as(service).doesNotContainAnyElementsOf(http)
          .contains("jvm.memory.used");
    }
  }

  @Test
  void rateLimitedSampler_keepsWholeTracesOnly() throws Exception {
    int requests = 20;
    List<Future<Checkout>> futures = new ArrayList<>();
    ExecutorService callers = Executors.newFixedThreadPool(5);
    long start = System.nanoTime();
    try {
      for (int i = 0; i < requests; i++) {
        String id = "it-corr-limited-" + i;
        futures.add(callers.submit(() -> checkout(limitedFrontUrl, id)));
      }
    } finally {
      callers.shutdown();
    }
    List<Checkout> checkouts = new ArrayList<>();
    for (Future<Checkout> f : futures) {
      checkouts.add(f.get(60, TimeUnit.SECONDS));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    List<Checkout> sampled = checkouts.stream().filter(c -> c.sampled).toList();
    List<Checkout> dropped = checkouts.stream().filter(c -> !c.sampled).toList();
    // A bucket of 2 plus 2 per elapsed second (one extra for rounding).
    int allowed = (int) (2 + 2 * seconds + 1);
    assertThat(sampled).isNotEmpty().hasSizeLessThanOrEqualTo(allowed);
    if (allowed < requests) {
      assertThat(dropped).isNotEmpty();
    }
    for (Checkout c : sampled) {
      JsonNode trace = awaitTrace(c.traceId, 4);
      assertThat(trace.get("roots")).hasSize(1);
      assertSpan(trace.get("roots").get(0), "front-limited", "SERVER");
    }
    // Give every exporter time to flush whatever it might have; a dropped trace stays absent.
    Thread.sleep(1500);
    for (Checkout c : sampled) {
      assertThat(fetchTrace(c.traceId).get("spanCount").asInt()).isEqualTo(4);
    }
    for (Checkout c : dropped) {
      assertThat(traceStatus(c.traceId)).as("trace %s", c.traceId).isEqualTo(404);
    }
  }

  private static void assertLogRecord(LogRecord r, Checkout checkout, String message) {
    assertThat(r.getBody().getStringValue()).isEqualTo(message);
    assertThat(HexFormat.of().formatHex(r.getTraceId().toByteArray())).isEqualTo(checkout.traceId);
    assertThat(OtlpTestReceiver.attribute(r.getAttributesList(), "correlation_id"))
        .isEqualTo(checkout.correlationId);
  }

  private static void assertSpan(JsonNode span, String service, String kind) {
    assertThat(span.get("service").asText()).as("service of %s", span).isEqualTo(service);
    assertThat(span.get("kind").asText()).as("kind of %s", span).isEqualTo(kind);
  }

  private static JsonNode onlyChild(JsonNode span) {
    assertThat(span.get("children")).as("children of %s", span.get("name")).hasSize(1);
    JsonNode child = span.get("children").get(0);
    assertThat(child.get("parentSpanId").asText()).isEqualTo(span.get("spanId").asText());
    return child;
  }

  /** Waits until Sextant holds {@code spans} spans of the trace, then returns it. */
  private static JsonNode awaitTrace(String traceId, int spans)
      throws IOException, InterruptedException {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
        .until(() -> traceStatus(traceId) == 200
            && fetchTrace(traceId).get("spanCount").asInt() >= spans);
    return fetchTrace(traceId);
  }

  private static int traceStatus(String traceId) throws IOException, InterruptedException {
    return get(URI.create(tracesUrl(traceId))).statusCode();
  }

  private static JsonNode fetchTrace(String traceId) throws IOException, InterruptedException {
    HttpResponse<String> response = get(URI.create(tracesUrl(traceId)));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static String tracesUrl(String traceId) {
    return "http://127.0.0.1:" + sextant.httpPort() + "/api/traces/" + traceId;
  }

  private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** One {@code GET /checkout}; what the back service saw comes back in the body. */
  private static Checkout checkout(String base, String correlationId)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/checkout"))
        .timeout(Duration.ofSeconds(20));
    if (correlationId != null) {
      request.header("X-Correlation-ID", correlationId);
    }
    HttpResponse<String> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    Matcher m = BODY.matcher(response.body());
    assertThat(m.matches()).as("body %s", response.body()).isTrue();
    // The sampled flag is bit 0; the agent also sets bit 1 (random trace ID, W3C level 2).
    boolean sampled = (Integer.parseInt(m.group(5), 16) & 1) == 1;
    return new Checkout(m.group(1), m.group(2), m.group(3), sampled);
  }

  /** What the back service received: the header, the baggage header, the trace and its flag. */
  private record Checkout(String correlationId, String baggage, String traceId, boolean sampled) {}
}
