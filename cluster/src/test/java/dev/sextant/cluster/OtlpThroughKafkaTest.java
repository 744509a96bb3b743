package dev.sextant.cluster;

import static dev.sextant.cluster.ClusterFixtures.PARTITIONS;
import static dev.sextant.cluster.ClusterFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.sextant.cluster.testing.KafkaBroker;
import dev.sextant.collector.Collector;
import dev.sextant.storage.LogRecord;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write path end to end with real parts: the OpenTelemetry SDK's OTLP/HTTP exporters → the
 * collector (real Armeria server) writing into a {@link KafkaSink} → a real KRaft broker → two
 * {@link StoreConsumer}s in one group writing into real embedded stores.
 */
class OtlpThroughKafkaTest {
  private static final String TENANT = "otlp";
  private static final int TRACES = 30;
  private static final int LOOSE_LOGS = 12;
  private static final int SERIES = 8;

  static KafkaBroker kafka;

  @TempDir
  Path dir;

  @BeforeAll
  static void startKafka() throws Exception {
    kafka = KafkaBroker.shared();
    try (Admin admin = kafka.admin()) {
      ClusterTopics.create(admin, PARTITIONS, (short) 1);
    }
  }

  @Test
  void export_throughCollectorAndKafka_isStoredOnceAcrossTwoStoresTraceWhole() throws Exception {
    try (KafkaSink sink = KafkaSink.builder(kafka.bootstrapServers())
            .tenant(ClusterFixtures::requestTenant).build();
        StoreNode a = new StoreNode(kafka.bootstrapServers(), "otlp", "a", dir.resolve("a"));
        StoreNode b = new StoreNode(kafka.bootstrapServers(), "otlp", "b", dir.resolve("b"))) {
      a.start();
      b.start();
      ClusterFixtures.awaitSplit(a, b);
      Collector collector = Collector.builder().spanConsumer(sink.spanConsumer())
          .logConsumer(sink.logConsumer()).metricWriter(sink.metricWriter())
          .redMetricsInterval(Duration.ZERO).build();
      ServerBuilder sb = Server.builder().http(0);
      sb.service(collector.httpService());
      Server server = sb.build();
      server.start().join();
      try {
        String base = "http://127.0.0.1:" + server.activeLocalPort();
        Sent sent = exportTracesAndLogs(base);
        postGauges(base);

        // Every span once, every trace whole in exactly one of the two stores.
        await().atMost(WAIT).untilAsserted(() -> {
          for (Map.Entry<String, Set<String>> t : sent.spansByTrace.entrySet()) {
            List<dev.sextant.storage.Span> inA = a.trace(TENANT, t.getKey());
            List<dev.sextant.storage.Span> inB = b.trace(TENANT, t.getKey());
            assertThat(inA.isEmpty() || inB.isEmpty()).as("trace %s in one store", t.getKey())
                .isTrue();
            List<dev.sextant.storage.Span> found = inA.isEmpty() ? inB : inA;
            assertThat(found).extracting(dev.sextant.storage.Span::spanId)
                .containsExactlyInAnyOrderElementsOf(t.getValue());
          }
        });
        long tracesInA = sent.spansByTrace.keySet().stream()
            .filter(id -> !a.trace(TENANT, id).isEmpty()).count();
        assertThat(tracesInA).as("traces split between the stores").isBetween(1L, TRACES - 1L);

        // Every log record once; one with a trace ID in the store that holds its trace (the
        // range assignor gives partition i of spans and of logs to the same member).
        await().atMost(WAIT).untilAsserted(() ->
            assertThat(a.logs(TENANT).size() + b.logs(TENANT).size())
                .isEqualTo(TRACES + LOOSE_LOGS));
        for (StoreNode n : List.of(a, b)) {
          for (LogRecord l : n.logs(TENANT)) {
            if (!l.traceId().isEmpty()) {
              assertThat(n.trace(TENANT, l.traceId())).as("trace of log %s", l.body())
                  .isNotEmpty();
            }
          }
        }
        assertThat(bodies(a, b)).containsExactlyInAnyOrderElementsOf(sent.logBodies);

        // Every series in one store with all its samples.
        await().atMost(WAIT).untilAsserted(() -> {
          Map<String, List<Long>> inA = a.samples(TENANT, "queue_depth");
          Map<String, List<Long>> inB = b.samples(TENANT, "queue_depth");
          assertThat(inA.keySet()).doesNotContainAnyElementsOf(inB.keySet());
          assertThat(inA.size() + inB.size()).isEqualTo(SERIES);
          Map<String, List<Long>> all = new HashMap<>(inA);
          all.putAll(inB);
          assertThat(all.values()).allSatisfy(ts -> assertThat(ts).hasSize(3));
        });
        assertThat(a.consumer.skippedRecords() + b.consumer.skippedRecords()).isZero();
        try (Admin admin = kafka.admin()) {
          ClusterFixtures.awaitNoLag(admin, "otlp");
        }
      } finally {
        server.stop().join();
        collector.close();
      }
    }
  }

  private static List<String> bodies(StoreNode a, StoreNode b) {
    List<String> all = new ArrayList<>();
    a.logs(TENANT).forEach(l -> all.add(l.body()));
    b.logs(TENANT).forEach(l -> all.add(l.body()));
    return all;
  }

  /** What the SDK generated: span IDs by trace ID, log bodies. */
  private record Sent(Map<String, Set<String>> spansByTrace, List<String> logBodies) {}

  private static Sent exportTracesAndLogs(String base) {
    List<SpanData> spans = new CopyOnWriteArrayList<>();
    List<LogRecordData> logs = new CopyOnWriteArrayList<>();
    Resource resource = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"),
        "shop"));
    try (SdkTracerProvider tracing = SdkTracerProvider.builder().setResource(resource)
            .addSpanProcessor(SimpleSpanProcessor.create(new CollectSpans(spans))).build();
        SdkLoggerProvider logging = SdkLoggerProvider.builder().setResource(resource)
            .addLogRecordProcessor(SimpleLogRecordProcessor.create(new CollectLogs(logs)))
            .build()) {
      Tracer tracer = tracing.get("cluster-test");
      Logger logger = logging.get("cluster-test");
      for (int i = 0; i < TRACES; i++) {
        Span root = tracer.spanBuilder("checkout " + i).startSpan();
        try (Scope s = root.makeCurrent()) {
          tracer.spanBuilder("reserve").startSpan().end();
          Span pay = tracer.spanBuilder("pay").startSpan();
          try (Scope p = pay.makeCurrent()) {
            logger.logRecordBuilder().setBody("paid " + i).emit();
          }
          pay.end();
        }
        root.end();
      }
      for (int i = 0; i < LOOSE_LOGS; i++) {
        logger.logRecordBuilder().setBody("startup " + i).emit();
      }
    }
    OtlpHttpSpanExporter spanExporter = OtlpHttpSpanExporter.builder()
        .setEndpoint(base + "/v1/traces").addHeader("X-Scope-OrgID", TENANT).build();
    OtlpHttpLogRecordExporter logExporter = OtlpHttpLogRecordExporter.builder()
        .setEndpoint(base + "/v1/logs").addHeader("X-Scope-OrgID", TENANT).build();
    try {
      // Acknowledged only once Kafka acknowledged every record of the export.
      assertThat(spanExporter.export(spans).join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(logExporter.export(logs).join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    } finally {
      spanExporter.shutdown();
      logExporter.shutdown();
    }
    Map<String, Set<String>> byTrace = new HashMap<>();
    for (SpanData s : spans) {
      byTrace.computeIfAbsent(s.getTraceId(), t -> new TreeSet<>()).add(s.getSpanId());
    }
    assertThat(byTrace).hasSize(TRACES);
    return new Sent(byTrace, logs.stream().map(l -> l.getBodyValue().asString()).toList());
  }

  private static void postGauges(String base) {
    long now = System.currentTimeMillis() * 1_000_000L;
    Gauge.Builder gauge = Gauge.newBuilder();
    for (int s = 0; s < SERIES; s++) {
      for (int t = 0; t < 3; t++) {
        gauge.addDataPoints(NumberDataPoint.newBuilder()
            .setTimeUnixNano(now + t * 1_000_000_000L).setAsDouble(s * 10 + t)
            .addAttributes(KeyValue.newBuilder().setKey("queue")
                .setValue(AnyValue.newBuilder().setStringValue("q" + s))));
      }
    }
    ExportMetricsServiceRequest req = ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics.newBuilder()
            .addMetrics(Metric.newBuilder().setName("queue_depth").setGauge(gauge)))).build();
    var response = WebClient.of(base).execute(RequestHeaders.builder(HttpMethod.POST,
            "/v1/metrics").contentType(MediaType.parse("application/x-protobuf"))
        .add("X-Scope-OrgID", TENANT).build(), HttpData.wrap(req.toByteArray()))
        .aggregate().join();
    assertThat(response.status().code()).as(response.contentUtf8()).isEqualTo(200);
  }

  /** Collects the spans the SDK ends. */
  private record CollectSpans(List<SpanData> spans) implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      spans.addAll(batch);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  /** Collects the log records the SDK emits. */
  private record CollectLogs(List<LogRecordData> logs) implements LogRecordExporter {
    @Override
    public CompletableResultCode export(Collection<LogRecordData> batch) {
      logs.addAll(batch);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
