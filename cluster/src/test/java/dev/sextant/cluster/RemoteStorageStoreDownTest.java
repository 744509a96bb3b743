package dev.sextant.cluster;

import static dev.sextant.storage.conformance.Fixtures.MS;
import static dev.sextant.storage.conformance.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.Server;
import dev.sextant.query.api.QueryApi;
import dev.sextant.query.promql.EngineOptions;
import dev.sextant.query.promql.PromqlEngine;
import dev.sextant.storage.LogQuery;
import dev.sextant.storage.LogRecord;
import dev.sextant.storage.ReadWarnings;
import dev.sextant.storage.Span;
import dev.sextant.storage.StorageException;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.conformance.Fixtures;
import dev.sextant.storage.metrics.LabelMatcher;
import dev.sextant.storage.metrics.Labels;
import dev.sextant.storage.metrics.TimeSeries;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store that is down or does not answer: reads answer with what the others have and a warning
 * naming it (in {@link ReadWarnings}, and in the query API's JSON), never a silent hole.
 */
class RemoteStorageStoreDownTest {
  private static final String TENANT = StoreReadService.DEFAULT_TENANT;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private ReadCluster cluster;
  private RemoteStorage remote;
  private final List<String> traceIds = new ArrayList<>();
  private Server silent;
  private Server api;

  @BeforeEach
  void start() {
    cluster = new ReadCluster(dir, 3);
    List<Span> spans = new ArrayList<>();
    List<LogRecord> logs = new ArrayList<>();
    List<TimeSeries> series = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      Span root = Fixtures.root("web", "GET /", i * MS, MS);
      spans.add(root);
      traceIds.add(root.traceId());
      logs.add(Fixtures.log("web", "hello " + i, i * MS).traceId(root.traceId()).build());
      series.add(TimeSeries.of(Labels.of("__name__", "up", "instance", "i" + i), NOW / MS, 1));
    }
    cluster.writeSpans(TENANT, spans).join();
    cluster.writeLogs(TENANT, logs).join();
    cluster.writeSeries(TENANT, series).join();
    remote = cluster.remote().timeout(Duration.ofSeconds(2)).build();
    // The query side must have seen ownership before the node goes: the first trace read lists it.
    remote.traceReader().getTrace(traceIds.get(0));
    cluster.stop(2);
  }

  @AfterEach
  void stop() {
    remote.close();
    cluster.close();
    if (silent != null) {
      silent.stop().join();
    }
    if (api != null) {
      api.stop().join();
    }
  }

  private static <T> T collect(Supplier<T> read, List<String> warnings) {
    try (ReadWarnings.Collector c = ReadWarnings.collect()) {
      T out = read.get();
      warnings.addAll(c.warnings());
      return out;
    }
  }

  @Test
  void fanOutReads_answerFromTheOthersAndNameTheStoppedStore() {
    String down = "store " + cluster.uri(2);
    List<List<String>> warnings = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      warnings.add(new ArrayList<>());
    }
    assertThat(collect(() -> remote.spanSearch().search(TraceQuery.builder().limit(100).build()),
        warnings.get(0))).isNotEmpty().hasSizeLessThan(30);
    assertThat(collect(() -> remote.logReader().search(LogQuery.builder().build()).records(),
        warnings.get(1))).isNotEmpty().hasSizeLessThan(30);
    assertThat(collect(() -> remote.metricReader().select(
        List.of(LabelMatcher.eq("__name__", "up")), 0, Long.MAX_VALUE), warnings.get(2)))
        .isNotEmpty().hasSizeLessThan(30);
    assertThat(collect(() -> remote.spanSearch().services(), warnings.get(3)))
        .containsExactly("web");
    assertThat(collect(() -> remote.metricReader().labelValues("instance", List.of(), 0,
        Long.MAX_VALUE), warnings.get(4))).isNotEmpty();
    for (List<String> w : warnings) {
      assertThat(w).singleElement().asString().startsWith("partial result: " + down + " failed");
    }
  }

  @Test
  void traceRead_goesToTheOwnerAndWarnsOnlyWhenTheOwnerIsDown() {
    int onTwo = 0;
    for (String id : traceIds) {
      int owner = cluster.ownerOf(Partitioning.partition(Partitioning.traceKey(id),
          ReadCluster.PARTITIONS));
      List<String> warnings = new ArrayList<>();
      List<Span> spans = collect(() -> remote.traceReader().getTrace(id), warnings);
      if (owner == 2) {
        onTwo++;
        assertThat(spans).isEmpty();
        assertThat(warnings).singleElement().asString().contains("store " + cluster.uri(2));
      } else {
        assertThat(spans).hasSize(1);
        assertThat(warnings).isEmpty();
      }
    }
    assertThat(onTwo).isPositive();
  }

  @Test
  void aStoreThatDoesNotAnswer_isReportedAfterTheTimeout() {
    silent = Server.builder().http(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .requestTimeout(Duration.ZERO)
        .serviceUnder("/", (ctx, req) -> HttpResponse.of(new CompletableFuture<HttpResponse>()))
        .build();
    silent.start().join();
    List<URI> stores = new ArrayList<>(cluster.uris().subList(0, 2));
    URI silentUri = URI.create("http://127.0.0.1:" + silent.activeLocalPort() + "/internal/v1/");
    stores.add(silentUri);
    try (RemoteStorage slow = RemoteStorage.builder(stores).timeout(Duration.ofMillis(300))
        .build()) {
      List<String> warnings = new ArrayList<>();
      assertThat(collect(() -> slow.spanSearch().services(), warnings)).containsExactly("web");
      assertThat(warnings).containsExactly(
          "partial result: store " + silentUri + " did not answer within 300 ms");
    }
  }

  @Test
  void noStoreAnswering_failsTheRead() {
    cluster.stop(0);
    cluster.stop(1);

    assertThatThrownBy(() -> remote.spanSearch().services())
        .isInstanceOf(StorageException.class).hasMessageContaining("no store answered");
    assertThatThrownBy(remote::check).isInstanceOf(StorageException.class);
  }

  @Test
  void queryApi_putsTheWarningsInItsResponses() throws Exception {
    api = Server.builder().http(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .service(QueryApi.builder().storage(remote)
            .engine(PromqlEngine.of(remote.metricReader(), EngineOptions.defaults())).build())
        .build();
    api.start().join();
    WebClient client = WebClient.of("http://127.0.0.1:" + api.activeLocalPort());
    String down = "store " + cluster.uri(2);
    String found = traceIds.stream().filter(id -> cluster.ownerOf(Partitioning.partition(
        Partitioning.traceKey(id), ReadCluster.PARTITIONS)) != 2).findFirst().orElseThrow();
    for (String path : List.of("/api/search?service=web", "/api/logs?service=web",
        "/api/services", "/api/v1/query?query=up&time=" + (NOW / 1_000_000_000L),
        "/api/v1/labels", "/api/v1/series?match[]=up")) {
      AggregatedHttpResponse res = client.blocking().get(path);
      assertThat(res.status().code()).as(path + " " + res.contentUtf8()).isEqualTo(200);
      JsonNode warnings = JSON.readTree(res.contentUtf8()).path("warnings");
      assertThat(warnings.toString()).as(path).contains("partial result: " + down);
    }
    // The trace comes whole from its owner; its spans' log counts fan out, and say they may be
    // partial.
    AggregatedHttpResponse trace = client.blocking().get("/api/traces/" + found);
    assertThat(trace.status().code()).isEqualTo(200);
    JsonNode t = JSON.readTree(trace.contentUtf8());
    assertThat(t.path("spanCount").asInt()).isEqualTo(1);
    assertThat(t.path("warnings").toString()).contains("partial result: " + down);
  }
}
