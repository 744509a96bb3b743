package dev.sextant.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.grpc.GrpcClients;
import dev.sextant.storage.embedded.EmbeddedStorage;
import dev.sextant.storage.Ids;
import dev.sextant.storage.Storage;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server runs as a separate JVM, is killed with SIGKILL while clients export, and every span
 * whose export was acknowledged must be there when the store is reopened.
 */
class CrashRecoveryTest {
  private static final int SPANS_PER_REQUEST = 20;
  private static final int MIN_ACKED_PER_CYCLE = 6;

  @TempDir
  Path dataDir;

  @Test
  void sigkillDuringIngest_keepsEveryAcknowledgedSpan() throws Exception {
    List<String> acked = new ArrayList<>();
    for (int cycle = 0; cycle < 2; cycle++) {
      acked.addAll(runAndKill(ThreadLocalRandom.current().nextLong(800, 2500)));
    }
    System.out.println("crash test: " + acked.size() + " acknowledged exports of "
        + SPANS_PER_REQUEST + " spans checked after 2 SIGKILLs");
    assertThat(acked).hasSizeGreaterThan(10);
    try (Storage storage = EmbeddedStorage.open(dataDir)) {
      for (String traceId : acked) {
        assertThat(storage.traceReader().getTrace(traceId)).as(traceId)
            .hasSize(SPANS_PER_REQUEST);
      }
    }
  }

  @Test
  void sigterm_stopsGracefullyAndKeepsData() throws Exception {
    Path log = dataDir.resolveSibling(dataDir.getFileName() + "-server.log");
    Process child = startChild(log);
    try {
      int[] ports = ChildServers.awaitStarted(child, log, 0);
      int grpcPort = ports[0];
      ChildServers.awaitHealthy(ports[2], child);
      byte[] traceId = OtlpRequests.randomId(16);
      GrpcClients.newClient("http://127.0.0.1:" + grpcPort,
          TraceServiceGrpc.TraceServiceBlockingStub.class)
          .export(OtlpRequests.trace(traceId, 5, "graceful"));
      child.destroy(); // SIGTERM
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(Files.readString(log)).contains("Sextant stopped");
      try (Storage storage = EmbeddedStorage.open(dataDir)) {
        assertThat(storage.traceReader().getTrace(Ids.toHex(traceId))).hasSize(5);
      }
    } finally {
      child.destroyForcibly();
    }
  }

  /** On port 0 everywhere: the child binds what it picks and logs it (INFO) in {@code log}. */
  private Process startChild(Path log) throws IOException {
    return new ProcessBuilder(ChildServers.javaBin(), "-cp",
        System.getProperty("java.class.path"),
        "dev.sextant.server.cli.Main", "server", "--data-dir", dataDir.toString(),
        "--bind-address", "127.0.0.1", "--grpc-port", "0", "--otlp-http-port", "0",
        "--http-port", "0", "--log-level", "INFO")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
        .start();
  }

  private List<String> runAndKill(long killAfterMillis) throws Exception {
    Path log = dataDir.resolveSibling(dataDir.getFileName() + "-kill.log");
    Process child = startChild(log);
    try {
      int[] ports = ChildServers.awaitStarted(child, log, 0);
      int grpcPort = ports[0];
      int httpPort = ports[2];
      ChildServers.awaitHealthy(httpPort, child);
      var stub = GrpcClients.builder("http://127.0.0.1:" + grpcPort)
          .responseTimeoutMillis(30_000).build(TraceServiceGrpc.TraceServiceBlockingStub.class);
      ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> clients = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        Thread c = new Thread(() -> {
          while (!stop.get()) {
            byte[] traceId = OtlpRequests.randomId(16);
            try {
              stub.export(OtlpRequests.trace(traceId, SPANS_PER_REQUEST, "crash-test"));
              acked.add(Ids.toHex(traceId));
            } catch (RuntimeException e) {
              // Not acknowledged (the server died, or refused it under load): never counted.
              pause(20);
            }
          }
        });
        c.start();
        clients.add(c);
      }
      // Counted from steady ingest, not from start-up: a cold child on a loaded machine may not
      // have acknowledged one export yet a few seconds after it became healthy.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (acked.size() < MIN_ACKED_PER_CYCLE && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      Thread.sleep(killAfterMillis);
      child.destroyForcibly(); // SIGKILL
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      stop.set(true);
      for (Thread c : clients) {
        c.join(10_000);
      }
      return new ArrayList<>(acked);
    } finally {
      child.destroyForcibly();
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
