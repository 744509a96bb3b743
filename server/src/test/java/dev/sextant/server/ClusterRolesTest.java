package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.client.grpc.GrpcClients;
import dev.sextant.cluster.ClusterTopics;
import dev.sextant.cluster.testing.KafkaBroker;
import dev.sextant.server.cluster.ClusterSettings;
import dev.sextant.server.cluster.Role;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode's roles in the one binary, with a real KRaft broker: a server in the collector role
 * (in this JVM) takes the OpenTelemetry SDK's traces, logs and metrics and answers once Kafka has
 * them; a server in the store role (with the query role, to read its own partitions back over the
 * HTTP API) in a child JVM consumes them. The store is SIGKILLed while logs keep coming and
 * restarted on its data directory: every acknowledged record is there, no log record twice. With
 * the broker stopped, the collector refuses with 503 and a retry hint and Kafka holds nothing of
 * what it refused.
 */
class ClusterRolesTest {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final int PARTITIONS = 4;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir
  Path dir;

  @Test
  void collectorAndStore_sdkDataReadableFromStore_sigkilledStoreLosesAndDoublesNothing()
      throws Exception {
    KafkaBroker kafka = KafkaBroker.shared();
    String servers = kafka.bootstrapServers();
    Path storeData = dir.resolve("store");
    Path config = dir.resolve("store.yml");
    Files.writeString(config, "cluster:\n"
        + "  roles: [store, query]\n"
        + "  kafka: { bootstrapServers: '" + servers + "' }\n"
        + "  topics: { partitions: " + PARTITIONS + " }\n"
        + "  storeGroup: roles-test\n"
        + "  instanceId: store-1\n");
    Path log = dir.resolve("store.log");
    List<String> jvm = List.of("-Xmx384m", "-XX:TieredStopAtLevel=1");
    SextantChild store = SextantChild.start(List.of(), jvm, storeData, config, log);
    try (SextantServer collector = collector(servers, "roles-test")) {
      collector.start();
      // The collector role binds the OTLP ports; its HTTP port serves /health and /metrics.
      assertThat(TestClient.get(collector.httpPort(), "/health").json().get("checks")
          .has("kafka")).isTrue();

      // The OpenTelemetry SDK, as an application would use it, against the collector.
      Resource resource = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"),
          "clustered"));
      SdkTracerProvider traces = SdkTracerProvider.builder().setResource(resource)
          .addSpanProcessor(BatchSpanProcessor.builder(OtlpGrpcSpanExporter.builder()
              .setEndpoint("http://127.0.0.1:" + collector.grpcPort()).build()).build())
          .build();
      SdkLoggerProvider logs = SdkLoggerProvider.builder().setResource(resource)
          .addLogRecordProcessor(BatchLogRecordProcessor.builder(OtlpGrpcLogRecordExporter
              .builder().setEndpoint("http://127.0.0.1:" + collector.grpcPort()).build())
              .build()).build();
      SdkMeterProvider metrics = SdkMeterProvider.builder().setResource(resource)
          .registerMetricReader(PeriodicMetricReader.builder(OtlpHttpMetricExporter.builder()
              .setEndpoint("http://127.0.0.1:" + collector.otlpHttpPort() + "/v1/metrics")
              .build()).setInterval(Duration.ofHours(1)).build()).build();
      Tracer tracer = traces.get("test");
      List<String> traceIds = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        Span s = tracer.spanBuilder("op-" + i).startSpan();
        traceIds.add(s.getSpanContext().getTraceId());
        s.end();
      }
      for (int i = 0; i < 200; i++) {
        logs.get("test").logRecordBuilder().setBody("sdk-" + i).emit();
      }
      metrics.get("test").counterBuilder("cluster.test.requests").build().add(7);
      for (CompletableResultCode flushed : List.of(traces.forceFlush(), logs.forceFlush(),
          metrics.forceFlush())) {
        assertThat(flushed.join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
      }
      traces.shutdown().join(10, TimeUnit.SECONDS);
      logs.shutdown().join(10, TimeUnit.SECONDS);
      metrics.shutdown().join(10, TimeUnit.SECONDS);

      int storePort = store.httpPort;
      SextantChild first = store;
      await().atMost(WAIT).untilAsserted(() -> assertThat(bodies(storePort, "clustered"))
          .as("%s", new Object() {
            @Override
            public String toString() {
              return TestClient.get(storePort, "/api/logs?limit=3").body() + "\n"
                  + TestClient.get(storePort, "/health").body() + "\n"
                  + TestClient.get(storePort, "/metrics").body().lines()
                      .filter(l -> l.startsWith("sextant_cluster")).toList() + "\n"
                  + tailOf(first).lines().filter(l -> !l.contains("Resetting offset"))
                      .toList();
            }
          }).hasSize(200));
      for (String id : traceIds) {
        await().atMost(WAIT).until(() ->
            TestClient.get(storePort, "/api/traces/" + id).status() == 200);
      }
      await().atMost(WAIT).until(() -> TestClient.get(storePort, "/api/v1/query?query="
          + URLEncoder.encode("cluster_test_requests_total", StandardCharsets.UTF_8)).json()
          .at("/data/result").size() == 1);
      JsonNode health = TestClient.get(storePort, "/health").json();
      assertThat(health.at("/checks/consumer/partitions_owned").asInt())
          .isEqualTo(PARTITIONS * ClusterTopics.ALL.size());
      String storeMetrics = TestClient.get(storePort, "/metrics").body();
      assertThat(storeMetrics).contains("sextant_cluster_partitions_owned{topic=\"sextant.logs\"} "
          + PARTITIONS + ".0", "sextant_cluster_records_applied_total",
          "sextant_cluster_consumer_lag_records");
      assertThat(TestClient.get(collector.httpPort(), "/metrics").body())
          .contains("sextant_cluster_produce_latency_seconds_count{signal=\"logs\"}");

      // Logs keep coming while the store is SIGKILLed and restarted on its data directory.
      Map<String, Boolean> sent = new ConcurrentHashMap<>(); // body -> acknowledged
      AtomicBoolean sending = new AtomicBoolean(true);
      AtomicInteger batches = new AtomicInteger();
      CountDownLatch someSent = new CountDownLatch(20);
      Thread sender = new Thread(() -> {
        for (int b = 0; sending.get(); b++) {
          List<String> batch = new ArrayList<>();
          for (int i = 0; i < 20; i++) {
            batch.add("kill-" + b + "-" + i);
          }
          boolean acked = postLogs(collector.otlpHttpPort(), batch);
          batch.forEach(body -> sent.put(body, acked));
          batches.incrementAndGet();
          someSent.countDown();
        }
      });
      sender.start();
      try {
        assertThat(someSent.await(60, TimeUnit.SECONDS)).isTrue();
        store.kill();
        int before = batches.get();
        await().atMost(WAIT).until(() -> batches.get() >= before + 20);
        store = SextantChild.start(List.of(), jvm, storeData, config, log);
        int restarted = batches.get();
        await().atMost(WAIT).until(() -> batches.get() >= restarted + 20);
      } finally {
        sending.set(false);
        sender.join(60_000);
      }
      Set<String> acknowledged = new HashSet<>();
      sent.forEach((body, acked) -> {
        if (acked) {
          acknowledged.add(body);
        }
      });
      assertThat(acknowledged).as("Kafka was up: every batch acknowledged")
          .hasSize(sent.size());

      int port = store.httpPort;
      await().atMost(WAIT).ignoreExceptions().until(() -> bodies(port, "killing").keySet()
          .containsAll(acknowledged) && lag(port) == 0);
      Map<String, Integer> stored = bodies(port, "killing");
      assertThat(stored.entrySet()).as("log records stored more than once")
          .allSatisfy(e -> assertThat(e.getValue()).as(e.getKey()).isEqualTo(1));
      assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(acknowledged);
      // What was there before the kill is there once too.
      assertThat(bodies(port, "clustered")).hasSize(200).allSatisfy((b, n) ->
          assertThat(n).isEqualTo(1));
      for (String id : traceIds) {
        assertThat(TestClient.get(port, "/api/traces/" + id).json().get("spanCount").asInt())
            .isEqualTo(1);
      }
    } finally {
      store.stop();
    }
  }

  @Test
  void collector_brokerStopped_refusesWithRetryHintAndKafkaHoldsNothingRefused()
      throws Exception {
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("broker"));
        SextantServer collector = collector(kafka.bootstrapServers(), "outage")) {
      collector.start();
      assertThat(postLogs(collector.otlpHttpPort(), List.of("before"))).isTrue();
      long stored = logRecordsInKafka(kafka);
      assertThat(stored).isEqualTo(1);

      kafka.stop();
      HttpResponse<String> refused = post(collector.otlpHttpPort(), List.of("during"));
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
      assertThat(refused.headers().firstValue("retry-after")).isPresent();
      // gRPC: UNAVAILABLE, which OTLP exporters retry.
      LogsServiceGrpc.LogsServiceBlockingStub grpc = GrpcClients.builder("http://127.0.0.1:"
          + collector.grpcPort()).responseTimeoutMillis(30_000)
          .build(LogsServiceGrpc.LogsServiceBlockingStub.class);
      ExportLogsServiceRequest request = ExportLogsServiceRequest.newBuilder()
          .addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(ScopeLogs.newBuilder()
              .addLogRecords(LogRecord.newBuilder()
                  .setTimeUnixNano(System.currentTimeMillis() * 1_000_000L)
                  .setBody(AnyValue.newBuilder().setStringValue("during-grpc")))))
          .build();
      Throwable unavailable = catchThrowable(() -> grpc.export(request));
      assertThat(unavailable).isInstanceOf(StatusRuntimeException.class);
      assertThat(((StatusRuntimeException) unavailable).getStatus().getCode())
          .isEqualTo(Status.Code.UNAVAILABLE);
      TestClient.Response health = TestClient.get(collector.httpPort(), "/health");
      assertThat(health.status()).isEqualTo(503);
      assertThat(health.json().at("/checks/kafka/status").asText()).isEqualTo("down");

      kafka.start();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500))
          .until(() -> postLogs(collector.otlpHttpPort(), List.of("after")));
      assertThat(TestClient.get(collector.httpPort(), "/health").status()).isEqualTo(200);
      // Before and after: stored. Refused during the outage: not in Kafka.
      assertThat(logRecordsInKafka(kafka)).isEqualTo(2);
      assertThat(TestClient.get(collector.httpPort(), "/metrics").body())
          .contains("sextant_cluster_produce_errors_total{signal=\"logs\"}");
    }
  }

  private SextantServer collector(String servers, String group) {
    return SextantServer.builder().dataDir(dir.resolve("collector-" + group))
        .bindAddress("127.0.0.1").grpcPort(0).otlpHttpPort(0).httpPort(0)
        .spanMetricsInterval(Duration.ZERO)
        .cluster(new ClusterSettings(Set.of(Role.COLLECTOR), servers, PARTITIONS, (short) 1,
            true, group, null, null, List.of()))
        .build();
  }

  private static String tailOf(SextantChild child) {
    try {
      return child.tail();
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** Posts one OTLP/HTTP JSON request of log records; true when it was acknowledged (200). */
  private static boolean postLogs(int port, List<String> bodies) {
    try {
      return post(port, bodies).statusCode() == 200;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static HttpResponse<String> post(int port, List<String> bodies) {
    String service = bodies.get(0).startsWith("kill-") ? "killing" : "outage";
    StringBuilder records = new StringBuilder();
    long now = System.currentTimeMillis() * 1_000_000L;
    for (String b : bodies) {
      records.append(records.length() == 0 ? "" : ",").append("{\"timeUnixNano\":\"")
          .append(now).append("\",\"body\":{\"stringValue\":\"").append(b).append("\"}}");
    }
    String json = "{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\","
        + "\"value\":{\"stringValue\":\"" + service + "\"}}]},\"scopeLogs\":[{\"logRecords\":["
        + records + "]}]}]}";
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
              + "/v1/logs")).header("Content-Type", "application/json")
              .timeout(Duration.ofSeconds(30))
              .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** How many times each log body of {@code service} is stored on the node at {@code port}. */
  private static Map<String, Integer> bodies(int port, String service) {
    Map<String, Integer> out = new HashMap<>();
    String cursor = "";
    do {
      TestClient.Response r = TestClient.get(port, "/api/logs?service=" + service
          + "&limit=1000&cursor=" + cursor);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      for (JsonNode record : r.json().get("records")) {
        out.merge(record.get("body").asText(), 1, Integer::sum);
      }
      cursor = r.json().path("nextCursor").asText("");
    } while (!cursor.isEmpty());
    return out;
  }

  /** The store's consumer lag from its /health, or -1 while it does not answer. */
  private static long lag(int port) {
    try {
      JsonNode h = TestClient.get(port, "/health").json();
      return h == null ? -1 : h.at("/checks/consumer/lag_records").asLong(-1);
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private static long logRecordsInKafka(KafkaBroker kafka) throws Exception {
    try (Admin admin = kafka.admin()) {
      Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
      for (int p = 0; p < PARTITIONS; p++) {
        ask.put(new TopicPartition(ClusterTopics.LOGS, p), OffsetSpec.latest());
      }
      long sum = 0;
      for (var o : admin.listOffsets(ask).all().get(30, TimeUnit.SECONDS).values()) {
        sum += o.offset();
      }
      return sum;
    }
  }
}
