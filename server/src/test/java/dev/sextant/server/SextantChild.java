package dev.sextant.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Sextant server in a child JVM on fresh loopback ports, for tests that kill it (SIGKILL) or
 * run it where the test cannot (under {@code unshare}). Its output goes to {@link #log}.
 */
final class SextantChild implements AutoCloseable {
  final Process process;
  final int grpcPort;
  final int otlpHttpPort;
  final int httpPort;
  final Path log;

  private SextantChild(Process process, int grpc, int otlpHttp, int http, Path log) {
    this.process = process;
    this.grpcPort = grpc;
    this.otlpHttpPort = otlpHttp;
    this.httpPort = http;
    this.log = log;
  }

  /**
   * Starts {@code prefix... java jvmArgs... Main server --data-dir dataDir [--config config]}
   * and waits until {@code /health} answers 200.
   */
  static SextantChild start(List<String> prefix, List<String> jvmArgs, Path dataDir,
      Path config, Path log) throws IOException, InterruptedException {
    return start(prefix, jvmArgs, dataDir, config, log, 0);
  }

  /**
   * As {@link #start(List, List, Path, Path, Path)} with the HTTP port {@code httpPort} (0: one
   * the child picks), for a node others reach at a fixed URL across its restarts (a store in
   * the query node's {@code cluster.stores}).
   */
  static SextantChild start(List<String> prefix, List<String> jvmArgs, Path dataDir,
      Path config, Path log, int httpPort) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(ChildServers.javaBin());
    cmd.addAll(jvmArgs);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
        "dev.sextant.server.cli.Main", "server", "--data-dir", dataDir.toString(),
        "--bind-address", "127.0.0.1", "--grpc-port", "0", "--otlp-http-port", "0",
        "--http-port", String.valueOf(httpPort), "--log-level", "INFO")); // INFO: the "started" line names the ports
    if (config != null) {
      cmd.addAll(List.of("--config", config.toString()));
    }
    long offset = Files.exists(log) ? Files.size(log) : 0;
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    try {
      int[] ports = ChildServers.awaitStarted(p, log, offset);
      SextantChild child = new SextantChild(p, ports[0], ports[1], ports[2], log);
      child.awaitHealthy();
      return child;
    } catch (RuntimeException | Error | InterruptedException | IOException e) {
      p.destroyForcibly();
      throw e;
    }
  }

  /** Generous: recovery after a kill replays the WAL, and CI machines are shared. */
  private void awaitHealthy() throws InterruptedException, IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("server exited early (" + process.exitValue() + "): "
            + tail());
      }
      try {
        if (TestClient.get(httpPort, "/health").status() == 200) {
          return;
        }
      } catch (RuntimeException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("server not healthy on :" + httpPort + " after 180 s: " + tail());
  }

  /** The end of the server's output, for failure messages. */
  String tail() throws IOException {
    return ChildServers.tail(log);
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("child did not die after SIGKILL");
    }
  }

  /** SIGTERM and wait for the graceful stop. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("child did not stop within 60 s of SIGTERM");
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
