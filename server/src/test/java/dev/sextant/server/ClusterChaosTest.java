package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.client.grpc.GrpcClients;
import dev.sextant.cluster.ClusterTopics;
import dev.sextant.cluster.Partitioning;
import dev.sextant.cluster.testing.KafkaBroker;
import dev.sextant.server.cluster.ClusterSettings;
import dev.sextant.server.cluster.Role;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode under process-level chaos, every part real: its own KRaft broker, three
 * {@code sextant server} store JVMs in one store group, two collector JVMs, a query node (in this
 * JVM) over the three stores, and {@link ChaosLoad}, a client that sends spans, log records and
 * samples to the collectors in turn and sends a refused batch again to the other one.
 *
 * <ol>
 *   <li>Stores: a random store is SIGKILLed at a random moment while the client sends; the
 *       survivors take its partitions and serve them; it is restarted on its data directory.
 *       2 cycles in {@code mvn verify}, 10 with {@code -Dsextant.soak=true} (seed:
 *       {@code -Dsextant.chaos.seed}). The failover times are printed ({@code store failover:}).
 *   <li>Collector: one collector is SIGKILLed while the client sends; it goes on through the
 *       other, and the collector is restarted.
 *   <li>Broker: stopped while the client sends; the collectors refuse (503 with Retry-After,
 *       gRPC UNAVAILABLE) and acknowledge nothing until it is back.
 * </ol>
 *
 * <p>Then every acknowledged span (trace by ID), log record (log query) and sample (PromQL) is
 * read through the query node exactly once, with no {@code warnings}.
 */
class ClusterChaosTest {
  private static final Duration WAIT = Duration.ofSeconds(150);
  private static final int PARTITIONS = 6;
  private static final int OWNED = PARTITIONS * ClusterTopics.ALL.size();
  private static final int CYCLES = Boolean.getBoolean("sextant.soak") ? 10 : 2;
  private static final String GROUP = "chaos-stores";
  private static final List<String> STORE_JVM =
      List.of("-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
  private static final List<String> COLLECTOR_JVM =
      List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir
  Path dir;

  private KafkaBroker kafka;
  private final SextantChild[] stores = new SextantChild[3];
  private final int[] storePorts = new int[3];
  private final SextantChild[] collectors = new SextantChild[2];
  private final AtomicIntegerArray collectorPorts = new AtomicIntegerArray(2);

  @Test
  void storesCollectorAndBrokerFail_everyAcknowledgedSpanLogAndSampleReadOnce()
      throws Exception {
    long seed = Long.getLong("sextant.chaos.seed", System.nanoTime());
    System.out.println("ClusterChaosTest seed " + seed + " (-Dsextant.chaos.seed=" + seed + ")");
    Random random = new Random(seed);
    kafka = KafkaBroker.start(dir.resolve("broker"));
    SextantServer query = null;
    ChaosLoad load = null;
    try {
      startAll();
      List<String> urls = new ArrayList<>();
      for (int port : storePorts) {
        urls.add("http://127.0.0.1:" + port);
      }
      query = SextantServer.builder().dataDir(dir.resolve("query")).bindAddress("127.0.0.1")
          .grpcPort(0).otlpHttpPort(0).httpPort(0).spanMetricsInterval(Duration.ZERO)
          .cluster(new ClusterSettings(Set.of(Role.QUERY), kafka.bootstrapServers(),
              PARTITIONS, (short) 1, false, GROUP, null, null, urls))
          .build();
      query.start();
      load = new ChaosLoad(collectorPorts);
      awaitBatches(load, 20);

      storeKills(random, load, query.httpPort());
      collectorKill(random, load);
      brokerOutage(load);

      load.close();
      assertThat(load.oddAnswers).as("answers neither 200 nor 503 with Retry-After").isEmpty();
      assertEverythingReadOnce(load, query.httpPort());
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(e.getMessage() + "\n" + tails(), e);
    } finally {
      if (load != null) {
        load.close();
      }
      if (query != null) {
        query.close();
      }
      for (SextantChild c : collectors) {
        if (c != null) {
          c.close();
        }
      }
      for (SextantChild s : stores) {
        if (s != null) {
          s.close();
        }
      }
      kafka.close();
    }
  }

  /** The stores first (they create the topics), in parallel: JVM starts are slow here. */
  private void startAll() throws Exception {
    ExecutorService starts = Executors.newFixedThreadPool(3);
    try {
      List<Future<?>> started = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        storePorts[i] = freePort();
        int n = i;
        started.add(starts.submit(() -> startStore(n)));
      }
      for (Future<?> f : started) {
        f.get();
      }
      awaitOwned(Set.of(0, 1, 2));
      started.clear();
      for (int i = 0; i < 2; i++) {
        int n = i;
        started.add(starts.submit(() -> startCollector(n)));
      }
      for (Future<?> f : started) {
        f.get();
      }
    } finally {
      starts.shutdownNow();
    }
  }

  private Void startStore(int i) throws IOException, InterruptedException {
    Path config = dir.resolve("store-" + i + ".yml");
    Files.writeString(config, "cluster:\n"
        + "  roles: [store]\n"
        + "  kafka: { bootstrapServers: '" + kafka.bootstrapServers() + "' }\n"
        + "  topics: { partitions: " + PARTITIONS + " }\n"
        + "  storeGroup: " + GROUP + "\n"
        + "  instanceId: chaos-store-" + i + "\n");
    stores[i] = SextantChild.start(List.of(), STORE_JVM, dir.resolve("store-" + i), config,
        dir.resolve("store-" + i + ".log"), storePorts[i]);
    return null;
  }

  private Void startCollector(int i) throws IOException, InterruptedException {
    Path config = dir.resolve("collector-" + i + ".yml");
    Files.writeString(config, "cluster:\n"
        + "  roles: [collector]\n"
        + "  kafka: { bootstrapServers: '" + kafka.bootstrapServers() + "' }\n"
        + "  topics: { partitions: " + PARTITIONS + " }\n"
        + "  storeGroup: " + GROUP + "\n");
    collectors[i] = SextantChild.start(List.of(), COLLECTOR_JVM, dir.resolve("collector-" + i),
        config, dir.resolve("collector-" + i + ".log"));
    collectorPorts.set(i, collectors[i].otlpHttpPort);
    return null;
  }

  private void storeKills(Random random, ChaosLoad load, int queryPort) throws Exception {
    List<Long> reassigned = new ArrayList<>();
    List<Long> complete = new ArrayList<>();
    for (int cycle = 1; cycle <= CYCLES; cycle++) {
      awaitBatches(load, 5 + random.nextInt(30)); // a random moment of the ingest
      int victim = random.nextInt(3);
      // The newest acknowledged trace of each partition: the dead store may have owned it.
      Map<Integer, String> newest = new HashMap<>();
      for (String id : load.ackedTraces) {
        newest.put(Partitioning.partition(Partitioning.traceKey(id), PARTITIONS), id);
      }
      long killed = System.nanoTime();
      stores[victim].kill();
      Set<Integer> survivors = new HashSet<>(Set.of(0, 1, 2));
      survivors.remove(victim);
      awaitOwned(survivors);
      long owned = System.nanoTime();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() ->
          newest.values().stream().allMatch(id -> spanCount(queryPort, id) == ChaosLoad.PER_BATCH));
      long answered = System.nanoTime();
      reassigned.add((owned - killed) / 1_000_000);
      complete.add((answered - killed) / 1_000_000);
      System.out.printf("store kill %d/%d: store-%d, partitions reassigned after %d ms, "
          + "queries complete after %d ms%n", cycle, CYCLES, victim,
          reassigned.get(reassigned.size() - 1), complete.get(complete.size() - 1));
      startStore(victim);
      awaitOwned(Set.of(0, 1, 2));
    }
    System.out.println("store failover: " + CYCLES + " SIGKILLs, survivors own the dead store's "
        + "partitions after " + stats(reassigned) + ", a query touching them answers complete "
        + "after " + stats(complete) + " (min/median/max)");
  }

  private void collectorKill(Random random, ChaosLoad load) throws Exception {
    awaitBatches(load, 5 + random.nextInt(20));
    int victim = random.nextInt(2);
    collectors[victim].kill();
    int failed = load.failures.get();
    // Going on through the other: batches acknowledged after attempts on the dead one.
    await().atMost(WAIT).until(() -> load.failures.get() > failed);
    awaitBatches(load, 20);
    startCollector(victim);
    awaitBatches(load, 10);
  }

  private void brokerOutage(ChaosLoad load) throws Exception {
    awaitBatches(load, 10);
    kafka.stop();
    long stopped = System.nanoTime();
    int refused = load.refusedWithRetryAfter.get();
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> r = postLog(collectorPorts.get(i));
      assertThat(r.statusCode()).as("collector %d with the broker down: %s", i, r.body())
          .isEqualTo(503);
      assertThat(r.headers().firstValue("retry-after")).isPresent();
    }
    LogsServiceGrpc.LogsServiceBlockingStub grpc = GrpcClients.builder("http://127.0.0.1:"
        + collectors[0].grpcPort).responseTimeoutMillis(30_000)
        .build(LogsServiceGrpc.LogsServiceBlockingStub.class);
    Throwable unavailable = catchThrowable(() -> grpc.export(ExportLogsServiceRequest
        .newBuilder().addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(ScopeLogs
            .newBuilder().addLogRecords(LogRecord.newBuilder()
                .setTimeUnixNano(System.currentTimeMillis() * 1_000_000L)
                .setBody(AnyValue.newBuilder().setStringValue("outage-grpc"))))).build()));
    assertThat(unavailable).isInstanceOf(StatusRuntimeException.class);
    assertThat(((StatusRuntimeException) unavailable).getStatus().getCode())
        .isEqualTo(Status.Code.UNAVAILABLE);
    // The client is refused too, and goes on trying.
    await().atMost(WAIT).until(() -> load.refusedWithRetryAfter.get() >= refused + 4);
    long restarting = System.nanoTime();
    kafka.start();
    assertThat(load.acks).as("acknowledged while the broker was down")
        .noneMatch(a -> a.sentNanos() > stopped && a.ackedNanos() < restarting);
    awaitBatches(load, 20);
  }

  private void assertEverythingReadOnce(ChaosLoad load, int queryPort) {
    List<String> logs = List.copyOf(load.ackedLogs);
    List<String> traces = List.copyOf(load.ackedTraces);
    List<Integer> samples = List.copyOf(load.ackedSamples);
    System.out.printf("ClusterChaosTest: %d batches, %d traces, %d log records, %d samples "
        + "acknowledged; %d refused with Retry-After, %d failed attempts%n", load.batches.get(),
        traces.size(), logs.size(), samples.size(), load.refusedWithRetryAfter.get(),
        load.failures.get());
    assertThat(Set.copyOf(logs)).hasSameSizeAs(logs);
    // The stores catch up: every log record is there.
    await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
        assertThat(bodies(queryPort).keySet()).containsAll(logs));
    Map<String, Integer> stored = bodies(queryPort);
    assertThat(stored.entrySet()).as("log records read more than once")
        .allSatisfy(e -> assertThat(e.getValue()).as(e.getKey()).isEqualTo(1));
    assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(logs);

    for (String id : traces) {
      TestClient.Response r = TestClient.get(queryPort, "/api/traces/" + id);
      assertThat(r.status()).as("trace %s: %s", id, r.body()).isEqualTo(200);
      assertThat(r.json().path("warnings").size()).as(r.body()).isZero();
      assertThat(r.json().get("spanCount").asInt()).as(id).isEqualTo(ChaosLoad.PER_BATCH);
    }

    long sum = samples.stream().mapToLong(Integer::longValue).sum();
    assertThat(promql(queryPort, "count(count_over_time(chaos_samples[1h]))"))
        .as("series").isEqualTo(samples.size());
    assertThat(promql(queryPort, "sum(count_over_time(chaos_samples[1h]))"))
        .as("samples").isEqualTo(samples.size());
    assertThat(promql(queryPort, "sum(sum_over_time(chaos_samples[1h]))"))
        .as("sum of the values").isEqualTo(sum);
  }

  /** How many times each log body of the load's service is read through the query node. */
  private static Map<String, Integer> bodies(int port) {
    Map<String, Integer> out = new HashMap<>();
    String cursor = "";
    do {
      TestClient.Response r = TestClient.get(port, "/api/logs?service=" + ChaosLoad.SERVICE
          + "&limit=1000&cursor=" + cursor);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.json().path("warnings").size()).as(r.body()).isZero();
      for (JsonNode record : r.json().get("records")) {
        out.merge(record.get("body").asText(), 1, Integer::sum);
      }
      cursor = URLEncoder.encode(r.json().path("nextCursor").asText(""), StandardCharsets.UTF_8);
    } while (!cursor.isEmpty());
    return out;
  }

  private static long promql(int port, String expr) {
    TestClient.Response r = TestClient.get(port, "/api/v1/query?query="
        + URLEncoder.encode(expr, StandardCharsets.UTF_8));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("warnings").size()).as(r.body()).isZero();
    JsonNode result = r.json().at("/data/result");
    assertThat(result).as(r.body()).hasSize(1);
    return (long) Double.parseDouble(result.get(0).at("/value/1").asText());
  }

  /** The trace's span count through the query node; -1 while it is not (fully) there. */
  private static int spanCount(int port, String traceId) {
    TestClient.Response r = TestClient.get(port, "/api/traces/" + traceId);
    return r.status() == 200 ? r.json().path("spanCount").asInt(-1) : -1;
  }

  /** Until the given stores (all the live ones) own every partition, each some. */
  private void awaitOwned(Set<Integer> live) {
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
      int total = 0;
      for (int i : live) {
        int owned = owned(storePorts[i]);
        if (owned <= 0) {
          return false;
        }
        total += owned;
      }
      return total == OWNED;
    });
  }

  private static int owned(int port) {
    try {
      JsonNode h = TestClient.get(port, "/health").json();
      return h == null ? -1 : h.at("/checks/consumer/partitions_owned").asInt(-1);
    } catch (RuntimeException down) {
      return -1;
    }
  }

  private static void awaitBatches(ChaosLoad load, int more) {
    int target = load.batches.get() + more;
    await().atMost(WAIT).until(() -> load.batches.get() >= target);
  }

  private static HttpResponse<String> postLog(int port) throws Exception {
    String json = "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":\""
        + System.currentTimeMillis() * 1_000_000L + "\",\"body\":{\"stringValue\":\"outage\"}}"
        + "]}]}]}";
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/logs"))
        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String stats(List<Long> ms) {
    List<Long> sorted = new ArrayList<>(ms);
    Collections.sort(sorted);
    return sorted.get(0) + "/" + sorted.get(sorted.size() / 2) + "/"
        + sorted.get(sorted.size() - 1) + " ms";
  }

  /**
   * A port for a store's HTTP API that stays its own across restarts: below the kernel's
   * ephemeral range (32768+ here), so no outgoing connection takes it while the store is down.
   */
  private static int freePort() throws IOException {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(20_000, 32_000);
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return s.getLocalPort();
      } catch (IOException taken) {
        // another one
      }
    }
    throw new IOException("no free port in 20000-32000");
  }

  private String tails() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      out.append("\n--- store-").append(i).append(" ---\n").append(tail("store-" + i));
    }
    for (int i = 0; i < 2; i++) {
      out.append("\n--- collector-").append(i).append(" ---\n").append(tail("collector-" + i));
    }
    return out.append("\n--- broker ---\n").append(kafka.logTail()).toString();
  }

  private String tail(String name) {
    try {
      return ChildServers.tail(dir.resolve(name + ".log"));
    } catch (IOException e) {
      return e.toString();
    }
  }
}
