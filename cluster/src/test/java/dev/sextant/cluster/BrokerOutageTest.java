package dev.sextant.cluster;

import static dev.sextant.cluster.ClusterFixtures.PARTITIONS;
import static dev.sextant.cluster.ClusterFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.sextant.cluster.testing.KafkaBroker;
import dev.sextant.collector.Collector;
import dev.sextant.storage.Span;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker stops: the collector role refuses with 503 and a retry hint well before its own
 * write timeout and acknowledges nothing; the store role waits; when the broker is back on the
 * same log directory both resume, and what was acknowledged before the outage is still there.
 */
class BrokerOutageTest {
  private static final String TENANT = "outage";
  private static final HexFormat HEX = HexFormat.of();

  @TempDir
  Path dir;

  @Test
  void brokerDown_sinkRefusesRetryablyAndAcknowledgesNothing_thenRecovers() throws Exception {
    try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("broker"))) {
      try (Admin admin = kafka.admin()) {
        ClusterTopics.create(admin, PARTITIONS, (short) 1);
      }
      String servers = kafka.bootstrapServers();
      try (KafkaSink sink = KafkaSink.builder(servers).tenant(ClusterFixtures::requestTenant)
              .deliveryTimeout(Duration.ofSeconds(2)).maxBlock(Duration.ofMillis(500)).build();
          StoreNode store = new StoreNode(servers, "outage", "outage-store",
              dir.resolve("store"))) {
        store.start();
        await().atMost(WAIT).until(() ->
            store.assignment().size() == PARTITIONS * ClusterTopics.ALL.size());
        Collector collector = Collector.builder().spanConsumer(sink.spanConsumer())
            .redMetricsInterval(Duration.ZERO).build();
        ServerBuilder sb = Server.builder().http(0);
        sb.service(collector.httpService());
        Server server = sb.build();
        server.start().join();
        try {
          WebClient http = WebClient.builder("http://127.0.0.1:" + server.activeLocalPort())
              .responseTimeoutMillis(60_000).build();
          assertThat(post(http, 1).status().code()).isEqualTo(200);
          await().atMost(WAIT).until(() -> !store.trace(TENANT, traceId(1)).isEmpty());

          kafka.stop();
          long start = System.nanoTime();
          AggregatedHttpResponse refused = post(http, 2);
          long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
          assertThat(refused.status().code()).isEqualTo(503);
          assertThat(refused.headers().get("retry-after")).isNotNull();
          assertThat(refused.contentUtf8()).contains("Kafka did not acknowledge");
          // The sink's 2 s delivery timeout answers, not the collector's 5 s write timeout.
          assertThat(tookMillis).isLessThan(4_900);
          Throwable direct = catchThrowable(() -> sink.spanConsumer()
              .accept(List.of(span(3))).get(30, TimeUnit.SECONDS));
          assertThat(direct).isInstanceOf(ExecutionException.class)
              .cause().isInstanceOf(KafkaUnavailableException.class);

          kafka.start();
          // Back on the same ports and log directory: the producer reconnects by itself.
          await().atMost(WAIT).pollInterval(Duration.ofMillis(500))
              .until(() -> post(http, 4).status().code() == 200);
          await().atMost(WAIT).until(() -> !store.trace(TENANT, traceId(4)).isEmpty());
          try (Admin admin = kafka.admin()) {
            ClusterFixtures.awaitNoLag(admin, "outage");
          }
          // Acknowledged before the outage: kept. Refused during it: never stored.
          assertThat(store.trace(TENANT, traceId(1))).hasSize(1);
          assertThat(store.trace(TENANT, traceId(2))).isEmpty();
          assertThat(store.trace(TENANT, traceId(3))).isEmpty();
          assertThat(store.consumer.failure()).isNull();
        } finally {
          server.stop().join();
          collector.close();
        }
      }
    }
  }

  private static String traceId(int n) {
    return String.format("%032x", 0xABC00000L + n);
  }

  private static Span span(int n) {
    long now = System.currentTimeMillis() * 1_000_000L;
    return Span.builder().traceId(traceId(n)).spanId(String.format("%016x", n)).name("op")
        .serviceName("svc").startTimeUnixNano(now).endTimeUnixNano(now + 1000).build();
  }

  private static AggregatedHttpResponse post(WebClient http, int n) {
    long now = System.currentTimeMillis() * 1_000_000L;
    ExportTraceServiceRequest req = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder()
            .addSpans(io.opentelemetry.proto.trace.v1.Span.newBuilder()
                .setTraceId(ByteString.copyFrom(HEX.parseHex(traceId(n))))
                .setSpanId(ByteString.copyFrom(HEX.parseHex(String.format("%016x", n))))
                .setName("op").setStartTimeUnixNano(now).setEndTimeUnixNano(now + 1000))))
        .build();
    return http.execute(RequestHeaders.builder(HttpMethod.POST, "/v1/traces")
            .contentType(MediaType.parse("application/x-protobuf")).add("X-Scope-OrgID", TENANT)
            .build(), HttpData.wrap(req.toByteArray())).aggregate().join();
  }
}
