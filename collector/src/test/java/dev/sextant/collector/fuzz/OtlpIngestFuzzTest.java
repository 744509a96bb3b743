package dev.sextant.collector.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.sextant.collector.Collector;
import dev.sextant.storage.embedded.EmbeddedStorage;
import dev.sextant.storage.Storage;
import dev.sextant.storage.metrics.TimeSeries;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Arbitrary bytes posted to the OTLP receivers (HTTP protobuf, HTTP JSON, gRPC) of a real
 * collector on a real Armeria server writing to real embedded storage. Every answer must be a
 * client error or success: never a 5xx (a decode or validation crash), and never 503 — nothing
 * limits load here, so a 503 would mean storage refused data that validation let through, a
 * request the client would retry forever.
 *
 * <p>Whatever was accepted must not brick the store: after each input (each seed, in the
 * regression runs of {@code mvn test}) the store is closed and reopened, and must open; while
 * fuzzing ({@code JAZZER_FUZZ} set) every {@value #REOPEN_EVERY_WHILE_FUZZING} inputs, as a
 * reopen costs some 100 ms against a fraction of a millisecond per input. The data stays, so a
 * poison input is still caught by the next reopen. The collector writes through delegates to
 * whichever store is open.
 *
 * <p>Input layout: byte 0 picks the signal ({@code % 3}: logs, metrics, traces) and, for
 * {@link #protobuf}, the transport ({@code / 3 % 2}: HTTP, gRPC); the rest is the body. Seeds in
 * {@code OtlpIngestFuzzTestInputs/}. To fuzz: {@code JAZZER_FUZZ=1 mvn -pl collector test
 * -Dtest=OtlpIngestFuzzTest#protobuf -Djazzer.max_duration=10m}.
 */
class OtlpIngestFuzzTest {
  private static final String[] PATHS = {"/v1/logs", "/v1/metrics", "/v1/traces"};
  private static final String[] GRPC = {
      "/opentelemetry.proto.collector.logs.v1.LogsService/Export",
      "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export",
      "/opentelemetry.proto.collector.trace.v1.TraceService/Export"};
  /** OK, INVALID_ARGUMENT, RESOURCE_EXHAUSTED (over the message size limit). */
  private static final Set<String> GRPC_OK = Set.of("0", "3", "8");

  static final int REOPEN_EVERY_WHILE_FUZZING = 200;
  private static final int REOPEN_EVERY = System.getenv("JAZZER_FUZZ") == null ? 1
      : REOPEN_EVERY_WHILE_FUZZING;

  private static Path dir;
  private static volatile Storage storage;
  private static int inputs;
  private static Collector collector;
  private static Server server;
  private static WebClient http;
  private static WebClient h2c;

  @BeforeAll
  static void start() throws IOException {
    Path shm = Path.of("/dev/shm");
    dir = Files.isWritable(shm) ? Files.createTempDirectory(shm, "sextant-fuzz")
        : Files.createTempDirectory("sextant-fuzz");
    storage = EmbeddedStorage.open(dir);
    collector = Collector.builder().spanConsumer(spans -> storage.spanConsumer().accept(spans))
        .logConsumer(records -> storage.logConsumer().accept(records))
        .metricWriter(OtlpIngestFuzzTest::writeMetrics)
        .maxRequestBytes(1 << 20).redMetricsInterval(Duration.ofSeconds(1)).build();
    ServerBuilder sb = Server.builder().http(0);
    sb.service(collector.httpService());
    sb.service(collector.grpcService());
    server = sb.build();
    server.start().join();
    int port = server.activeLocalPort();
    http = WebClient.builder("http://127.0.0.1:" + port).responseTimeoutMillis(30_000).build();
    h2c = WebClient.builder("h2c://127.0.0.1:" + port).responseTimeoutMillis(30_000).build();
  }

  @AfterAll
  static void stop() throws IOException {
    server.stop().join();
    collector.close();
    storage.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @FuzzTest(maxDuration = "5m")
  void protobuf(byte[] data) {
    if (data.length == 0) {
      return;
    }
    int signal = (data[0] & 0xff) % 3;
    byte[] body = Arrays.copyOfRange(data, 1, data.length);
    if ((data[0] & 0xff) / 3 % 2 == 0) {
      assertHandled(post(PATHS[signal], "application/x-protobuf", body));
    } else {
      assertGrpcHandled(grpc(GRPC[signal], body));
    }
    reopenNowAndThen();
  }

  @FuzzTest(maxDuration = "5m")
  void json(byte[] data) {
    if (data.length == 0) {
      return;
    }
    byte[] body = Arrays.copyOfRange(data, 1, data.length);
    assertHandled(post(PATHS[(data[0] & 0xff) % 3], "application/json", body));
    reopenNowAndThen();
  }

  /** The background RED metrics writes wait for a reopen rather than meet a closed store. */
  private static synchronized CompletableFuture<Void> writeMetrics(
      List<TimeSeries> series) {
    return storage.metricWriter().write(series);
  }

  /** Closes the store and opens it again (a restart): it must open, whatever was accepted. */
  private static void reopenNowAndThen() {
    if (++inputs % REOPEN_EVERY != 0) {
      return;
    }
    synchronized (OtlpIngestFuzzTest.class) {
      storage.close();
      storage = EmbeddedStorage.open(dir); // throws, failing the input, if it cannot
    }
  }

  private static AggregatedHttpResponse post(String path, String type, byte[] body) {
    return http.execute(RequestHeaders.builder(HttpMethod.POST, path)
        .contentType(MediaType.parse(type)).build(), HttpData.wrap(body)).aggregate().join();
  }

  private static AggregatedHttpResponse grpc(String path, byte[] message) {
    byte[] framed = ByteBuffer.allocate(5 + message.length).put((byte) 0)
        .putInt(message.length).put(message).array();
    return h2c.execute(RequestHeaders.builder(HttpMethod.POST, path)
        .contentType(MediaType.parse("application/grpc+proto")).add("te", "trailers").build(),
        HttpData.wrap(framed)).aggregate().join();
  }

  private static void assertHandled(AggregatedHttpResponse r) {
    assertThat(r.status().code()).as("%s", r.contentUtf8()).isIn(200, 400, 413);
  }

  private static void assertGrpcHandled(AggregatedHttpResponse r) {
    String status = header(r, "grpc-status");
    String message = header(r, "grpc-message");
    assertThat(r.status().code()).isEqualTo(200);
    assertThat(List.of(String.valueOf(status))).as("grpc-status %s: %s", status, message)
        .containsAnyElementsOf(GRPC_OK);
  }

  /** Trailers-only answers (errors) carry the gRPC status in the headers. */
  private static String header(AggregatedHttpResponse r, String name) {
    String v = r.trailers().get(name);
    return v != null ? v : r.headers().get(name);
  }
}
