package dev.sextant.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A server process the load tool started (Sextant, Zipkin, Prometheus). Every started process is
 * registered with a JVM shutdown hook, so Ctrl-C or an error never leaves one running: the hook
 * sends SIGTERM, waits, then SIGKILLs what is left.
 */
final class ManagedProcess implements AutoCloseable {
  private static final Set<ManagedProcess> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (ManagedProcess p : RUNNING) {
        p.close();
      }
    }, "load-stop-servers"));
  }

  final String name;
  final Path log;
  private final Process process;

  private ManagedProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  static ManagedProcess start(String name, List<String> command, Map<String, String> env,
      Path log) throws IOException {
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    ManagedProcess p = new ManagedProcess(name, pb.start(), log);
    RUNNING.add(p);
    return p;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Fails with the tail of the log when the process has died. */
  void checkAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException(name + " exited with " + process.exitValue()
          + "; last log lines:\n" + tail(20));
    }
  }

  String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** SIGKILL at once, as a crashed machine: no shutdown hook runs in the process. */
  void kill() throws InterruptedException {
    if (!RUNNING.remove(this)) {
      return;
    }
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + " still running 30 s after SIGKILL");
    }
  }

  /** SIGTERM, up to 60 s for a graceful stop (storage closes), then SIGKILL. */
  @Override
  public void close() {
    if (!RUNNING.remove(this)) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        System.err.println("load: " + name + " did not stop within 60 s, killing it");
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
