package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import dev.sextant.cluster.ClusterTopics;
import dev.sextant.cluster.testing.KafkaBroker;
import dev.sextant.server.cluster.ClusterSettings;
import dev.sextant.server.cluster.Role;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode's read side end to end, every part real: a KRaft broker, two collectors, three
 * stores and a query node (Sextant servers in this JVM, talking over loopback HTTP and Kafka as
 * separate processes would), and an all-in-one node fed the very same data by the OpenTelemetry
 * SDK (each exporter sends to both). Through the query node, which owns no data, every query API
 * answers exactly what the single node answers, per tenant: services, trace search, every trace
 * by ID, the dependency graph, logs, PromQL instant and range queries, the UI. The stores' internal
 * read API takes the cluster token and nothing else; a stopped store turns answers into partial
 * results with {@code warnings}.
 */
class ClusterQueryEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final int PARTITIONS = 4;
  private static final String TOKEN = "cluster-token-0123456789abcdef";
  private static final String ALPHA = "alpha";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void queryNode_sdkDataThroughTwoCollectorsAndThreeStores_answersEqualToSingleNode()
      throws Exception {
    List<SextantServer> nodes = new ArrayList<>();
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("broker"))) {
      String servers = kafka.bootstrapServers();
      SextantServer single = start(nodes, node("single"));
      List<SextantServer> stores = new ArrayList<>();
      List<String> storeUrls = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        SextantServerBuilder b = node("store-" + i).cluster(new ClusterSettings(
            Set.of(Role.STORE), servers, PARTITIONS, (short) 1, true, "e2e-stores",
            "store-" + i, null, List.of(), TOKEN));
        if (i == 1) {
          b.accessPolicy(SecuredServers.policy()); // users there must not reach the read API
        }
        SextantServer s = start(nodes, b);
        stores.add(s);
        storeUrls.add("http://127.0.0.1:" + s.httpPort());
      }
      // Data sent once every store has its share, so no partition moves under the comparison.
      await().atMost(WAIT).untilAsserted(() -> {
        int total = 0;
        for (SextantServer s : stores) {
          int owned = json(SecuredServers.get(s.httpPort(), "/health", SecuredServers.ADMIN))
              .at("/checks/consumer/partitions_owned").asInt();
          assertThat(owned).isPositive();
          total += owned;
        }
        assertThat(total).isEqualTo(PARTITIONS * ClusterTopics.ALL.size());
      });
      SextantServer c1 = start(nodes, node("collector-1").cluster(collector(servers)));
      SextantServer c2 = start(nodes, node("collector-2").cluster(collector(servers)));
      SextantServer query = start(nodes, node("query").cluster(new ClusterSettings(
          Set.of(Role.QUERY), servers, PARTITIONS, (short) 1, false, "e2e-stores", null, null,
          storeUrls, TOKEN)));
      internalApi_takesTheClusterTokenOnly(stores);

      long start = System.currentTimeMillis() / 1000 - 60;
      List<String> defaultTraces = new ArrayList<>();
      List<String> alphaTraces = new ArrayList<>();
      // frontend through collector 1, backend through collector 2: one trace, two collectors.
      try (Sdk frontend = new Sdk("frontend", c1, single, null);
          Sdk backend = new Sdk("backend", c2, single, null);
          Sdk alpha = new Sdk("alpha-svc", c2, single, ALPHA)) {
        long t0 = System.currentTimeMillis() * 1_000_000L;
        LongCounter requests = frontend.meters.get("e2e").counterBuilder("e2e.requests").build();
        LongCounter alphaRequests =
            alpha.meters.get("e2e").counterBuilder("e2e.requests").build();
        for (int i = 0; i < 30; i++) {
          Span root = frontend.traces.get("e2e").spanBuilder("GET /item/" + (i % 5))
              .setSpanKind(SpanKind.SERVER).setAttribute("item", i).startSpan();
          Span db = backend.traces.get("e2e").spanBuilder("SELECT item")
              .setSpanKind(SpanKind.SERVER).setParent(Context.root().with(root)).startSpan();
          if (i % 7 == 0) {
            db.setStatus(StatusCode.ERROR, "timeout");
          }
          db.end();
          root.end();
          defaultTraces.add(root.getSpanContext().getTraceId());
          frontend.logs.get("e2e").logRecordBuilder().setBody("served item " + i)
              .setTimestamp(t0 + i * 1_000L, TimeUnit.NANOSECONDS)
              .setSeverity(i % 7 == 0 ? Severity.ERROR : Severity.INFO)
              .setContext(Context.root().with(root)).emit();
          requests.add(1, Attributes.of(AttributeKey.stringKey("route"), "/item/" + (i % 5)));
          Span a = alpha.traces.get("e2e").spanBuilder("alpha op " + (i % 3)).startSpan();
          a.end();
          alphaTraces.add(a.getSpanContext().getTraceId());
          alpha.logs.get("e2e").logRecordBuilder().setBody("alpha line " + i)
              .setTimestamp(t0 + i * 1_000L, TimeUnit.NANOSECONDS).emit();
          alphaRequests.add(2);
          if (i % 10 == 9) { // three metric exports, three samples per series
            frontend.flushMetrics();
            alpha.flushMetrics();
          }
        }
      }
      long end = System.currentTimeMillis() / 1000 + 60;

      List<String> defaultPaths = new ArrayList<>(List.of(
          "/api/services",
          "/api/services/frontend/operations",
          "/api/search?service=frontend&limit=100&start=" + start + "&end=" + end,
          "/api/search?service=backend&error=true&limit=100&start=" + start + "&end=" + end,
          "/api/search?limit=100&sort=duration&start=" + start + "&end=" + end,
          "/api/dependencies?start=" + start + "&end=" + end,
          "/api/logs?service=frontend&limit=1000&start=" + start + "&end=" + end,
          "/api/logs?q=item&severity=error&limit=1000&start=" + start + "&end=" + end,
          "/api/v1/query?query=" + url("sum by (route) (e2e_requests_total)") + "&time=" + end,
          "/api/v1/query_range?query=" + url("e2e_requests_total") + "&start=" + start
              + "&end=" + end + "&step=5",
          "/api/v1/labels?start=" + start + "&end=" + end,
          "/api/v1/label/route/values?start=" + start + "&end=" + end,
          "/api/v1/series?match[]=" + url("e2e_requests_total") + "&start=" + start + "&end="
              + end,
          // Metric metadata went through Kafka as metadata records.
          "/api/v1/metadata"));
      defaultTraces.forEach(id -> defaultPaths.add("/api/traces/" + id));
      List<String> alphaPaths = new ArrayList<>(List.of(
          "/api/services",
          "/api/search?limit=100&start=" + start + "&end=" + end,
          "/api/logs?limit=1000&start=" + start + "&end=" + end,
          "/api/v1/query_range?query=" + url("e2e_requests_total") + "&start=" + start
              + "&end=" + end + "&step=5"));
      alphaTraces.forEach(id -> alphaPaths.add("/api/traces/" + id));

      // The single node stored everything before acknowledging; the stores catch up.
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        assertSame(query, single, null, defaultPaths);
        assertSame(query, single, ALPHA, alphaPaths);
      });
      // Not vacuous: what was compared holds what was sent.
      JsonNode logs = json(get(query, null, defaultPaths.get(6)));
      assertThat(logs.get("records")).hasSize(30);
      assertThat(json(get(query, null, "/api/services")).toString())
          .contains("frontend", "backend").doesNotContain("alpha-svc");
      assertThat(json(get(query, null, "/api/traces/" + defaultTraces.get(0)))
          .get("spanCount").asInt()).isEqualTo(2);
      assertThat(json(get(query, null, defaultPaths.get(9))).at("/data/result")).hasSize(5);
      assertThat(json(get(query, null, "/api/v1/metadata")).at("/data/e2e_requests_total/0/type")
          .asText()).isEqualTo("counter");
      assertThat(json(get(query, ALPHA, alphaPaths.get(2))).get("records")).hasSize(30);
      // The UI on the query node reads the stores too.
      AggregatedHttpResponse page = get(query, null, "/ui/traces/" + defaultTraces.get(1));
      assertThat(page.status().code()).isEqualTo(200);
      assertThat(page.contentUtf8()).contains(defaultTraces.get(1), "served item 1", "frontend");

      // An alert-only node, started after the comparison (its rules write the ALERTS and
      // recorded series, which the single node has not): its rules read the stores.
      Path rules = Files.writeString(dir.resolve("e2e-rules.yml"), """
          groups:
            - name: e2e
              interval: 1s
              rules:
                - record: e2e:requests:sum
                  expr: sum(e2e_requests_total)
                - alert: E2eRequestsSeen
                  expr: sum(e2e_requests_total) >= 30
          """);
      SextantServer alert = start(nodes, node("alert").ruleFiles(List.of(rules.toString()))
          .cluster(new ClusterSettings(Set.of(Role.ALERT), servers, PARTITIONS, (short) 1,
              false, "e2e-stores", null, null, storeUrls, TOKEN)));
      // The alert-only node evaluated over every store, and its recording rule's series reached
      // the stores through Kafka: the query node reads it back.
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        JsonNode alerts = json(get(alert, null, "/api/v1/alerts"));
        assertThat(alerts.at("/data/alerts").toString()).contains("E2eRequestsSeen", "firing");
        JsonNode recorded = json(get(query, null, "/api/v1/query?query="
            + url("e2e:requests:sum")));
        assertThat(recorded.at("/data/result/0/value/1").asText()).isEqualTo("30");
      });

      // A stopped store: answers without it, saying so.
      stores.get(2).close();
      JsonNode partial = json(get(query, null, defaultPaths.get(2)));
      assertThat(partial.get("warnings").toString()).contains("partial result: store http://"
          + "127.0.0.1:" + stores.get(2).httpPort());
      JsonNode promql = json(get(query, null, defaultPaths.get(8)));
      assertThat(promql.get("status").asText()).isEqualTo("success");
      assertThat(promql.get("warnings").toString()).contains("partial result");
    } finally {
      for (int i = nodes.size() - 1; i >= 0; i--) {
        nodes.get(i).close();
      }
    }
  }

  /** The read API: 401 without the cluster token, with a user's token or a wrong one. */
  private static void internalApi_takesTheClusterTokenOnly(List<SextantServer> stores) {
    for (SextantServer s : stores) {
      int port = s.httpPort();
      AggregatedHttpResponse none = SecuredServers.call("http", port, HttpMethod.GET,
          "/internal/v1/partitions");
      assertThat(none.status().code()).isEqualTo(401);
      assertThat(none.contentUtf8()).contains("missing cluster token");
      for (String user : List.of(SecuredServers.ADMIN, SecuredServers.A_READ, TOKEN + "x")) {
        AggregatedHttpResponse r = SecuredServers.get(port, "/internal/v1/partitions", user);
        assertThat(r.status().code()).as(user).isEqualTo(401);
        assertThat(r.contentUtf8()).contains("wrong cluster token");
      }
      assertThat(SecuredServers.get(port, "/internal/v1/partitions", TOKEN).status().code())
          .isEqualTo(200);
    }
    // A user token does not turn the read API of the store with users on into a user route.
    AggregatedHttpResponse tenantCall = SecuredServers.call("http", stores.get(0).httpPort(),
        HttpMethod.POST, "/internal/v1/services", "authorization",
        "Bearer " + SecuredServers.A_READ, "sextant-tenant", ALPHA);
    assertThat(tenantCall.status().code()).isEqualTo(401);
  }

  private static void assertSame(SextantServer query, SextantServer single, String tenant,
      List<String> paths) {
    for (String p : paths) {
      AggregatedHttpResponse fromQuery = get(query, tenant, p);
      AggregatedHttpResponse fromSingle = get(single, tenant, p);
      assertThat(fromQuery.status().code()).as("%s %s: %s", tenant, p,
          fromQuery.contentUtf8()).isEqualTo(fromSingle.status().code()).isEqualTo(200);
      JsonNode q = json(fromQuery);
      assertThat(q.path("warnings").size()).as("%s %s: %s", tenant, p, q).isZero();
      ((ObjectNode) q).remove("warnings");
      JsonNode s = json(fromSingle);
      ((ObjectNode) s).remove("warnings");
      assertThat(q).as("%s %s", tenant, p).isEqualTo(s);
    }
  }

  private static AggregatedHttpResponse get(SextantServer node, String tenant, String path) {
    return tenant == null
        ? SecuredServers.call("http", node.httpPort(), HttpMethod.GET, path)
        : SecuredServers.call("http", node.httpPort(), HttpMethod.GET, path, "X-Scope-OrgID",
            tenant);
  }

  private static JsonNode json(AggregatedHttpResponse r) {
    try {
      return JSON.readTree(r.contentUtf8());
    } catch (IOException e) {
      throw new UncheckedIOException(r.contentUtf8(), e);
    }
  }

  private static String url(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private SextantServerBuilder node(String name) {
    return SextantServer.builder().dataDir(dir.resolve(name)).bindAddress("127.0.0.1")
        .grpcPort(0).otlpHttpPort(0).httpPort(0)
        // RED metrics are derived where spans arrive, at each node's own times: off, so both
        // sides hold only what the SDK sent.
        .spanMetricsInterval(Duration.ZERO)
        .storeSessionTimeout(Duration.ofSeconds(10));
  }

  private static ClusterSettings collector(String servers) {
    return new ClusterSettings(Set.of(Role.COLLECTOR), servers, PARTITIONS, (short) 1, true,
        "e2e-stores", null, null, List.of());
  }

  private static SextantServer start(List<SextantServer> nodes, SextantServerBuilder b) {
    SextantServer s = b.build();
    nodes.add(s);
    s.start();
    return s;
  }

  /** One service's SDK, every export sent to a collector and to the single node alike. */
  private static final class Sdk implements AutoCloseable {
    final SdkTracerProvider traces;
    final SdkLoggerProvider logs;
    final SdkMeterProvider meters;

    Sdk(String service, SextantServer collector, SextantServer single, String tenant) {
      Resource resource = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"),
          service));
      traces = SdkTracerProvider.builder().setResource(resource)
          .addSpanProcessor(BatchSpanProcessor.builder(SpanExporter.composite(
              spans(collector, tenant), spans(single, tenant))).build()).build();
      logs = SdkLoggerProvider.builder().setResource(resource)
          .addLogRecordProcessor(BatchLogRecordProcessor.builder(LogRecordExporter.composite(
              logs(collector, tenant), logs(single, tenant))).build()).build();
      meters = SdkMeterProvider.builder().setResource(resource)
          .registerMetricReader(PeriodicMetricReader.builder(new BothMetrics(
              metrics(collector, tenant), metrics(single, tenant)))
              .setInterval(Duration.ofHours(1)).build()).build();
    }

    void flushMetrics() {
      assertThat(meters.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    }

    private static SpanExporter spans(SextantServer to, String tenant) {
      var b = OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + to.grpcPort());
      return (tenant == null ? b : b.addHeader("X-Scope-OrgID", tenant)).build();
    }

    private static LogRecordExporter logs(SextantServer to, String tenant) {
      var b = OtlpGrpcLogRecordExporter.builder()
          .setEndpoint("http://127.0.0.1:" + to.grpcPort());
      return (tenant == null ? b : b.addHeader("X-Scope-OrgID", tenant)).build();
    }

    private static MetricExporter metrics(SextantServer to, String tenant) {
      var b = OtlpHttpMetricExporter.builder()
          .setEndpoint("http://127.0.0.1:" + to.otlpHttpPort() + "/v1/metrics");
      return (tenant == null ? b : b.addHeader("X-Scope-OrgID", tenant)).build();
    }

    @Override
    public void close() {
      for (CompletableResultCode flushed : List.of(traces.forceFlush(), logs.forceFlush(),
          meters.forceFlush())) {
        assertThat(flushed.join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
      }
      traces.shutdown().join(10, TimeUnit.SECONDS);
      logs.shutdown().join(10, TimeUnit.SECONDS);
      meters.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  /** The same metric data to two exporters (the SDK has no composite metric exporter). */
  private record BothMetrics(MetricExporter a, MetricExporter b) implements MetricExporter {
    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
      return CompletableResultCode.ofAll(List.of(a.export(metrics), b.export(metrics)));
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofAll(List.of(a.flush(), b.flush()));
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofAll(List.of(a.shutdown(), b.shutdown()));
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType type) {
      return a.getAggregationTemporality(type);
    }
  }
}
