package dev.sextant.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Starts the servers of a comparison, each on free loopback ports with its own directory under
 * the run's work directory, and waits until each answers its readiness probe.
 */
final class Servers {
  private static final Duration STARTUP = Duration.ofSeconds(120);

  /**
   * The JVM flags {@code bin/sextant} and the release's launcher put before the user's own
   * ({@code docs/operations.md}, "JVM defaults"); {@code ServersTest} checks both launchers
   * still carry them.
   */
  static final List<String> LAUNCHER_JVM_OPTIONS = List.of("-Xms64m",
      "-XX:G1PeriodicGCInterval=60000", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30");

  private Servers() {}

  /** A running Sextant: its process, data directory and ports. */
  record Sextant(ManagedProcess process, Path dataDir, int grpcPort, int httpPort) {
    String http() {
      return "http://127.0.0.1:" + httpPort;
    }
  }

  /** A running peer (Zipkin, Prometheus): its process, data directory and HTTP base URL. */
  record Peer(ManagedProcess process, Path dataDir, String http) {}

  /**
   * {@code java -jar server/target/sextant-server.jar server ...} with {@code configYaml}, with
   * {@code -Xmx/-Xms} {@code heap}, or with the launcher's defaults when {@code heap} is null.
   */
  static Sextant sextant(Path root, Path dir, @Nullable String heap, List<String> jvmOptions,
      String configYaml)
      throws IOException, InterruptedException {
    return sextant("sextant", root, dir, heap, jvmOptions, configYaml, List.of(), List.of());
  }

  /**
   * As above, named {@code name} in messages, with {@code prefix} before {@code java} (e.g.
   * {@code taskset -c 1}) and {@code serverArgs} after the server's own flags (e.g.
   * {@code --role store --kafka ...}).
   */
  static Sextant sextant(String name, Path root, Path dir, @Nullable String heap,
      List<String> jvmOptions,
      String configYaml, List<String> prefix, List<String> serverArgs)
      throws IOException, InterruptedException {
    Path jar = root.resolve("server/target/sextant-server.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("missing " + jar + " (bench/bin/load builds it)");
    }
    Files.createDirectories(dir);
    Path config = dir.resolve("sextant.yaml");
    Files.writeString(config, configYaml);
    Path data = dir.resolve("data");
    int grpc = Http.freePort();
    int otlpHttp = Http.freePort();
    int http = Http.freePort();
    List<String> command = new ArrayList<>(prefix);
    command.add("java");
    command.addAll(heap == null ? LAUNCHER_JVM_OPTIONS : List.of("-Xmx" + heap, "-Xms" + heap));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString(), "server", "--config", config.toString(),
        "--data-dir", data.toString(), "--grpc-port", "" + grpc, "--otlp-http-port", "" + otlpHttp,
        "--http-port", "" + http, "--log-level", "WARN"));
    command.addAll(serverArgs);
    ManagedProcess p = ManagedProcess.start(name, command, Map.of(), dir.resolve("sextant.log"));
    Sextant s = new Sextant(p, data, grpc, http);
    Http.awaitReady(s.http() + "/health", p, STARTUP);
    return s;
  }

  /** Zipkin server with in-memory storage ({@code STORAGE_TYPE=mem}). */
  static Peer zipkin(Path jar, Path dir, String heap, int maxSpans)
      throws IOException, InterruptedException {
    int port = Http.freePort();
    ManagedProcess p = ManagedProcess.start("zipkin", List.of("java", "-Xmx" + heap,
        "-Xms" + heap, "-jar", jar.toString()),
        Map.of("QUERY_PORT", "" + port, "STORAGE_TYPE", "mem",
            "MEM_MAX_SPANS", "" + maxSpans, "COLLECTOR_SAMPLE_RATE", "1.0"),
        dir.resolve("zipkin.log"));
    Peer peer = new Peer(p, null, "http://127.0.0.1:" + port);
    Http.awaitReady(peer.http() + "/health", p, STARTUP);
    return peer;
  }

  /** Prometheus with its TSDB in {@code dir/data} and the admin API on (for snapshots). */
  static Peer prometheus(String binary, Path dir, String configYaml)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, configYaml);
    Path data = dir.resolve("data");
    int port = Http.freePort();
    ManagedProcess p = ManagedProcess.start("prometheus", List.of(binary,
        "--config.file=" + config, "--storage.tsdb.path=" + data,
        "--web.listen-address=127.0.0.1:" + port, "--web.enable-admin-api",
        "--log.level=warn"), Map.of(), dir.resolve("prometheus.log"));
    Peer peer = new Peer(p, data, "http://127.0.0.1:" + port);
    Http.awaitReady(peer.http() + "/-/ready", p, STARTUP);
    return peer;
  }
}
