package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.sun.net.httpserver.HttpServer;
import dev.sextant.cluster.ClusterTopics;
import dev.sextant.cluster.testing.KafkaBroker;
import dev.sextant.server.cluster.ClusterSettings;
import dev.sextant.server.cluster.Role;
import dev.sextant.storage.Retention;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pinned evidence in a cluster, every part real: Kafka (the shared test broker), two stores, a
 * collector, a query node and an alert-only node, Sextant servers in this JVM on loopback. The
 * alert node's page pins its evidence trace on the stores through their internal API (the cluster
 * token required there), the query node lists the pin and, once retention dropped the trace's
 * block (stores with one-minute blocks and one minute of trace retention, restarted so their
 * retention runs), still serves the pinned trace while an unpinned one is gone; unpinning
 * through the query node drops it.
 */
class ClusterPinsEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final int PARTITIONS = 4; // as every test on the shared broker
  private static final String GROUP = "pins-e2e-stores";
  private static final String TOKEN = "cluster-token-pins-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MINUTE = 60_000;

  @TempDir
  Path dir;

  @Test
  void alertOnlyNodesPage_pinsOnTheStores_queryNodeServesAndUnpinsPastRetention()
      throws Exception {
    List<JsonNode> pages = new CopyOnWriteArrayList<>();
    HttpServer pagerDuty = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    pagerDuty.createContext("/v2/enqueue", ex -> {
      pages.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
      byte[] ok = "{\"status\":\"success\"}".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(202, ok.length);
      ex.getResponseBody().write(ok);
      ex.close();
    });
    pagerDuty.start();
    List<SextantServer> nodes = new ArrayList<>();
    try {
      String servers = KafkaBroker.shared().bootstrapServers();
      List<SextantServer> stores = new ArrayList<>();
      List<String> storeUrls = new ArrayList<>();
      for (int i = 1; i <= 2; i++) {
        SextantServer s = start(nodes, store(servers, i, 0));
        stores.add(s);
        storeUrls.add("http://127.0.0.1:" + s.httpPort());
      }
      awaitPartitionsSplit(stores);
      SextantServer collector = start(nodes, node("collector").cluster(new ClusterSettings(
          Set.of(Role.COLLECTOR), servers, PARTITIONS, (short) 1, true, GROUP, null, null,
          List.of())));
      SextantServer query = start(nodes, node("query").enableAdminApi(true)
          .cluster(new ClusterSettings(Set.of(Role.QUERY), servers, PARTITIONS, (short) 1,
              false, GROUP, null, null, storeUrls, TOKEN)));

      // The evidence trace (of the alert's service) and another one, through the collector.
      String evidence = HexFormat.of().formatHex(OtlpRequests.randomId(16));
      String other = HexFormat.of().formatHex(OtlpRequests.randomId(16));
      var traces = GrpcClients.newClient("http://127.0.0.1:" + collector.grpcPort(),
          TraceServiceGrpc.TraceServiceBlockingStub.class);
      traces.export(OtlpRequests.trace(HexFormat.of().parseHex(evidence), 3, "pinshop"));
      traces.export(OtlpRequests.trace(HexFormat.of().parseHex(other), 2, "pinother"));
      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(spanCount(query, evidence)).isEqualTo(3);
        assertThat(spanCount(query, other)).isEqualTo(2);
      });
      // The stores wrote both now or just before: their block has left retention two minutes
      // after the start of this minute.
      long dropped = System.currentTimeMillis() / MINUTE * MINUTE + 2 * MINUTE + 5_000;

      Path rules = Files.writeString(dir.resolve("pin-rules.yml"), """
          groups:
            - name: pins
              interval: 1s
              rules:
                - alert: PinE2eBacklog
                  expr: pin_e2e_depth > 5
          """);
      start(nodes, node("alert").ruleFiles(List.of(rules.toString()))
          .notifierConfig("""
              route:
                receiver: oncall
                group_by: [alertname, job]
                group_wait: 1s
                group_interval: 1s
                repeat_interval: 1h
              receivers:
                - name: oncall
                  pagerduty_configs:
                    - routing_key: pin-key
                      url: http://127.0.0.1:%d/v2/enqueue
              """.formatted(pagerDuty.getAddress().getPort()))
          .evaluationInterval(Duration.ofSeconds(1))
          .cluster(new ClusterSettings(Set.of(Role.ALERT), servers, PARTITIONS, (short) 1, false,
              GROUP, null, null, storeUrls, TOKEN)));
      GrpcClients.newClient("http://127.0.0.1:" + collector.grpcPort(),
          MetricsServiceGrpc.MetricsServiceBlockingStub.class).export(depth(12));

      // The page goes out with the trace as evidence; the alert node pins it on the stores.
      await().atMost(WAIT).until(() -> pages.stream().anyMatch(ClusterPinsEndToEndTest::ours));
      JsonNode trigger = pages.stream().filter(ClusterPinsEndToEndTest::ours).findFirst()
          .orElseThrow();
      assertThat(trigger.get("event_action").asText()).isEqualTo("trigger");
      assertThat(trigger.at("/payload/custom_details/evidence/traces").toString())
          .contains(evidence);
      String incident = trigger.get("dedup_key").asText();
      await().atMost(WAIT).untilAsserted(() -> assertThat(pins(query, null, incident))
          .singleElement().satisfies(p -> {
            assertThat(p.get("traceId").asText()).isEqualTo(evidence);
            assertThat(p.get("pinnedBy").asText()).isEqualTo("alert");
            assertThat(p.get("reason").asText()).isEqualTo("evidence of PinE2eBacklog");
            assertThat(p.get("spans").asInt()).isEqualTo(3); // the owner copied it whole
          }));
      assertThat(pins(query, "alpha", incident)).isEmpty(); // per tenant, as on one node
      // The pin calls are behind the cluster token, as the reads are.
      AggregatedHttpResponse anonymous = SecuredServers.call("http", stores.get(0).httpPort(),
          HttpMethod.POST, "/internal/v1/pins");
      assertThat(anonymous.status().code()).isEqualTo(401);

      // Past retention: restarted, the stores drop the trace's block at once.
      await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
          .until(() -> System.currentTimeMillis() > dropped);
      for (int i = 0; i < stores.size(); i++) {
        int port = stores.get(i).httpPort();
        stores.get(i).close();
        nodes.remove(stores.get(i));
        stores.set(i, start(nodes, store(servers, i + 1, port)));
      }
      await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
        assertThat(call(query, HttpMethod.GET, "/api/traces/" + other).status().code())
            .isEqualTo(404);
        assertThat(spanCount(query, evidence)).isEqualTo(3);
      });
      // The UI's trace page (which loads the trace from /api/traces) and the pins page too.
      AggregatedHttpResponse page = call(query, HttpMethod.GET, "/ui/traces/" + evidence);
      assertThat(page.status().code()).isEqualTo(200);
      assertThat(page.contentUtf8()).contains("data-trace-id=\"" + evidence + "\"");
      AggregatedHttpResponse pinsPage = call(query, HttpMethod.GET, "/ui/pins");
      assertThat(pinsPage.status().code()).isEqualTo(200);
      assertThat(pinsPage.contentUtf8()).contains("/ui/traces/" + evidence);

      // Unpinned through the query node: gone from every store.
      String id = pins(query, null, incident).get(0).get("id").asText();
      AggregatedHttpResponse unpinned = call(query, HttpMethod.DELETE, "/api/pins/" + id);
      assertThat(unpinned.status().code()).as(unpinned.contentUtf8()).isEqualTo(200);
      assertThat(pins(query, null, incident)).isEmpty();
      assertThat(call(query, HttpMethod.GET, "/api/traces/" + evidence).status().code())
          .isEqualTo(404);
    } finally {
      for (int i = nodes.size() - 1; i >= 0; i--) {
        nodes.get(i).close();
      }
      pagerDuty.stop(0);
    }
  }

  private static boolean ours(JsonNode page) {
    return page.toString().contains("PinE2eBacklog");
  }

  /** Store {@code i}: one-minute blocks, a minute of traces and logs, on {@code port}. */
  private SextantServerBuilder store(String servers, int i, int port) {
    return node("store-" + i).httpPort(port)
        .blockDuration(Duration.ofMinutes(1))
        .retention(new Retention(Duration.ofMinutes(1), Duration.ofMinutes(1),
            Duration.ofDays(1)))
        // Static membership: restarted, a store gets its own partitions back.
        .cluster(new ClusterSettings(Set.of(Role.STORE), servers, PARTITIONS, (short) 1, true,
            GROUP, "pins-store-" + i, null, List.of(), TOKEN));
  }

  private static void awaitPartitionsSplit(List<SextantServer> stores) {
    await().atMost(WAIT).untilAsserted(() -> {
      int total = 0;
      for (SextantServer s : stores) {
        int owned = JSON.readTree(TestClient.get(s.httpPort(), "/health").body())
            .at("/checks/consumer/partitions_owned").asInt();
        assertThat(owned).isPositive();
        total += owned;
      }
      assertThat(total).isEqualTo(PARTITIONS * ClusterTopics.ALL.size());
    });
  }

  private static int spanCount(SextantServer query, String traceId) {
    AggregatedHttpResponse r = call(query, HttpMethod.GET, "/api/traces/" + traceId);
    return r.status().code() == 200 ? json(r).get("spanCount").asInt() : 0;
  }

  /** The pins of {@code incident} the query node lists for {@code tenant} (null: default). */
  private static List<JsonNode> pins(SextantServer query, String tenant, String incident) {
    AggregatedHttpResponse r = tenant == null ? call(query, HttpMethod.GET, "/api/pins")
        : SecuredServers.call("http", query.httpPort(), HttpMethod.GET, "/api/pins",
            "X-Scope-OrgID", tenant);
    assertThat(r.status().code()).as(r.contentUtf8()).isEqualTo(200);
    JsonNode body = json(r);
    assertThat(body.path("warnings").size()).as(body.toString()).isZero();
    List<JsonNode> out = new ArrayList<>();
    body.get("pins").forEach(p -> {
      if (p.get("incidentId").asText().equals(incident)) {
        out.add(p);
      }
    });
    return out;
  }

  private static AggregatedHttpResponse call(SextantServer node, HttpMethod method,
      String path) {
    return SecuredServers.call("http", node.httpPort(), method, path);
  }

  private static JsonNode json(AggregatedHttpResponse r) {
    try {
      return JSON.readTree(r.contentUtf8());
    } catch (IOException e) {
      throw new UncheckedIOException(r.contentUtf8(), e);
    }
  }

  /** A gauge {@code pin.e2e.depth} of service {@code pinshop} (job {@code pinshop}). */
  private static ExportMetricsServiceRequest depth(double value) {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder()
            .setKey("service.name").setValue(AnyValue.newBuilder().setStringValue("pinshop"))))
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder()
            .setName("pin.e2e.depth").setGauge(Gauge.newBuilder().addDataPoints(
                NumberDataPoint.newBuilder().setAsDouble(value)
                    .setTimeUnixNano(System.currentTimeMillis() * 1_000_000L)))))).build();
  }

  private SextantServerBuilder node(String name) {
    return SextantServer.builder().dataDir(dir.resolve(name)).bindAddress("127.0.0.1")
        .grpcPort(0).otlpHttpPort(0).httpPort(0)
        .spanMetricsInterval(Duration.ZERO)
        .storeSessionTimeout(Duration.ofSeconds(30));
  }

  private static SextantServer start(List<SextantServer> nodes, SextantServerBuilder b) {
    SextantServer s = b.build();
    nodes.add(s);
    s.start();
    return s;
  }
}
