package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sextant.cluster.testing.KafkaBroker;
import dev.sextant.server.cluster.ClusterSettings;
import dev.sextant.server.cluster.Role;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Store discovery through Kafka with a real broker and in-process nodes: a query node without
 * {@code cluster.stores} finds the two stores from their announcements on {@code sextant.stores},
 * answers a search from both (each holds only its partitions' traces), shows them on
 * {@code /health} and {@code /metrics}, and drops a store that stops.
 */
class ClusterDiscoveryTest {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final int PARTITIONS = 4;
  private static final int TRACES = 40;
  private static final String GROUP = "discovery-stores";

  @TempDir
  Path dir;

  @Test
  void queryNode_withoutStoresList_findsTwoStoresAnswersFromBothAndDropsAStoppedOne()
      throws Exception {
    List<SextantServer> nodes = new ArrayList<>();
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("broker"))) {
      String servers = kafka.bootstrapServers();
      List<SextantServer> stores = new ArrayList<>();
      for (int i = 1; i <= 2; i++) {
        // Stores with the query role too, to show what each holds on its own.
        stores.add(start(nodes, node("store-" + i).cluster(new ClusterSettings(
            Set.of(Role.STORE, Role.QUERY), servers, PARTITIONS, (short) 1, true, GROUP,
            "store-" + i, null, List.of()))));
      }
      SextantServer collector = start(nodes, node("collector").cluster(new ClusterSettings(
          Set.of(Role.COLLECTOR), servers, PARTITIONS, (short) 1, true, GROUP, null, null,
          List.of())));
      SextantServer query = start(nodes, node("query").cluster(new ClusterSettings(
          Set.of(Role.QUERY), servers, PARTITIONS, (short) 1, false, GROUP, null, null,
          List.of())));

      List<String> urls = stores.stream().map(s -> "http://127.0.0.1:" + s.httpPort()).toList();
      await().atMost(WAIT).untilAsserted(() -> {
        JsonNode check = TestClient.get(query.httpPort(), "/health").json().at("/checks/stores");
        assertThat(check.get("count").asInt()).as("%s", check).isEqualTo(2);
        List<String> found = new ArrayList<>();
        check.get("stores").forEach(s -> {
          assertThat(s.get("zone").asText()).isEqualTo(GROUP);
          found.add(s.get("url").asText());
        });
        assertThat(found).containsExactlyInAnyOrderElementsOf(urls);
      });
      assertThat(TestClient.get(query.httpPort(), "/metrics").body())
          .contains("sextant_cluster_stores_discovered 2.0");

      sendTraces(collector);
      long start = System.currentTimeMillis() / 1000 - 600;
      String search = "/api/search?service=discovered&limit=1000&start=" + start + "&end="
          + (start + 1200);
      // Every trace through the query node, though each store holds only its partitions' share.
      await().atMost(WAIT).untilAsserted(() -> assertThat(
          TestClient.get(query.httpPort(), search).json().get("traces")).hasSize(TRACES));
      int first = TestClient.get(stores.get(0).httpPort(), search).json().get("traces").size();
      int second = TestClient.get(stores.get(1).httpPort(), search).json().get("traces").size();
      assertThat(first).isPositive().isLessThan(TRACES);
      assertThat(second).isPositive().isLessThan(TRACES);
      assertThat(first + second).isEqualTo(TRACES);

      // A store that stops is dropped (its tombstone), and the query node reads the other only:
      // no warning about the stopped one, and, once the survivor has rebuilt the stopped store's
      // partitions from Kafka, every trace again.
      stores.get(1).close();
      await().atMost(WAIT).untilAsserted(() -> {
        JsonNode check = TestClient.get(query.httpPort(), "/health").json().at("/checks/stores");
        assertThat(check.get("count").asInt()).as("%s", check).isEqualTo(1);
        assertThat(check.at("/stores/0/url").asText()).isEqualTo(urls.get(0));
      });
      await().atMost(WAIT).untilAsserted(() -> {
        JsonNode answer = TestClient.get(query.httpPort(), search).json();
        assertThat(answer.get("traces")).hasSize(TRACES);
        assertThat(answer.path("warnings").size()).as("%s", answer.get("warnings")).isZero();
      });
    } finally {
      for (int i = nodes.size() - 1; i >= 0; i--) {
        nodes.get(i).close();
      }
    }
  }

  private static void sendTraces(SextantServer collector) {
    SdkTracerProvider traces = SdkTracerProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"),
            "discovered")))
        .addSpanProcessor(BatchSpanProcessor.builder(OtlpGrpcSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + collector.grpcPort()).build()).build())
        .build();
    Tracer tracer = traces.get("test");
    for (int i = 0; i < TRACES; i++) {
      tracer.spanBuilder("op-" + i).startSpan().end();
    }
    assertThat(traces.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    traces.shutdown().join(10, TimeUnit.SECONDS);
  }

  private SextantServerBuilder node(String name) {
    return SextantServer.builder().dataDir(dir.resolve(name)).bindAddress("127.0.0.1")
        .grpcPort(0).otlpHttpPort(0).httpPort(0).spanMetricsInterval(Duration.ZERO);
  }

  private static SextantServer start(List<SextantServer> nodes, SextantServerBuilder b) {
    SextantServer s = b.build();
    nodes.add(s);
    s.start();
    return s;
  }
}
