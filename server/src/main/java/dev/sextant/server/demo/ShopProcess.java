package dev.sextant.server.demo;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One shop JVM started by the demo. Its output goes to a log file; each line is also handed to a
 * listener (the demo echoes the load generator's summaries). {@link #close()} stops it gently
 * (SIGTERM, so the agent flushes), then forcibly, together with anything it started.
 */
final class ShopProcess implements AutoCloseable {
  /** Lines of its output a start-up failure quotes: the log file may be gone by then (tests). */
  static final int TAIL_LINES = 30;

  private final String name;
  private final Process process;
  private final Path logFile;
  private final Deque<String> tail = new ArrayDeque<>(); // guarded by itself
  private final Thread pump;
  private volatile String listening;

  private ShopProcess(String name, Process process, Path logFile, Consumer<String> onLine) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
    pump = new Thread(() -> pump(onLine), "demo-" + name + "-output");
    pump.setDaemon(true);
    pump.start();
  }

  static ShopProcess start(String name, List<String> command, Path logFile,
      Consumer<String> onLine) throws IOException {
    Files.createDirectories(logFile.getParent());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    return new ShopProcess(name, p, logFile, onLine);
  }

  String name() {
    return name;
  }

  Process process() {
    return process;
  }

  Path logFile() {
    return logFile;
  }

  private void pump(Consumer<String> onLine) {
    try (BufferedReader r = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        BufferedWriter log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        log.write(line);
        log.newLine();
        log.flush();
        synchronized (tail) {
          if (tail.size() == TAIL_LINES) {
            tail.removeFirst();
          }
          tail.addLast(line);
        }
        if (line.startsWith("LISTENING ")) {
          listening = line;
        }
        onLine.accept(line);
      }
    } catch (IOException e) {
      // the process is gone; its log file has what it printed
    }
  }

  /**
   * Waits for {@code LISTENING ...}; fails naming the log file and quoting its last lines if the
   * process dies first or does not serve in time.
   */
  String awaitListening(long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (listening == null) {
      if (!process.isAlive()) {
        pump.join(5_000); // its last lines, usually the reason, may still be in the pipe
        if (listening != null) {
          break;
        }
        throw new IllegalStateException(name + " exited with " + process.exitValue()
            + " before serving; see " + logFile + lastLines());
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(name + " did not start within " + timeoutMillis
            + " ms; see " + logFile + lastLines());
      }
      Thread.sleep(100);
    }
    return listening;
  }

  private String lastLines() {
    synchronized (tail) {
      return tail.isEmpty() ? " (it printed nothing)"
          : "; its last lines:\n  " + String.join("\n  ", tail);
    }
  }

  /** The HTTP port from its {@code LISTENING <port> METRICS <port>} line. */
  int port() {
    return Integer.parseInt(awaitListeningNow().split(" ")[1]);
  }

  /** The metrics port from its {@code LISTENING <port> METRICS <port>} line. */
  int metricsPort() {
    return Integer.parseInt(awaitListeningNow().split(" ")[3]);
  }

  /** The {@code LISTENING ...} line, or an error when the process has not printed it. */
  String awaitListeningNow() {
    String l = listening;
    if (l == null) {
      throw new IllegalStateException(name + " is not serving");
    }
    return l;
  }

  /** Asks politely; {@link #close()} waits and then insists. */
  void stop() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
  }

  @Override
  public void close() {
    stop();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
