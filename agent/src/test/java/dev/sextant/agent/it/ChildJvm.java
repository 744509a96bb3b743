package dev.sextant.agent.it;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A {@link TestApp} in its own JVM, optionally with the agent; keeps every line it prints. */
final class ChildJvm implements AutoCloseable {
  private final String name;
  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private volatile int port = -1;

  private final Path logFile;

  private ChildJvm(String name, Process process, Path logFile) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
    Thread reader = new Thread(this::pump, "child-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code TestApp}: {@code jvmArgs} go before the main class, {@code appArgs} after. */
  static ChildJvm start(String name, List<String> jvmArgs, String... appArgs) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-Dlogback.configurationFile=testapp-logback.xml");
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(appClasspath());
    command.add(TestApp.class.getName());
    command.addAll(List.of(appArgs));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    return new ChildJvm(name, process, logFile(name));
  }

  /** The test classes and only the libraries the app uses, not the test JVM's whole classpath. */
  static String appClasspath() {
    return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> e.endsWith("test-classes") || e.contains("h2") || e.contains("logback")
            || e.contains("slf4j-api") || e.contains("HikariCP"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  static Path agentJar() {
    String jar = System.getProperty("sextant.agent.jar", "target/sextant-agent.jar");
    return Paths.get(jar).toAbsolutePath();
  }

  /** Where a child's output is kept for reading after a failed run: target/it-logs/NAME.log. */
  private static Path logFile(String name) throws IOException {
    Path dir = Paths.get("target", "it-logs");
    Files.createDirectories(dir);
    return dir.resolve(name + ".log");
  }

  private void pump() {
    try (BufferedReader r = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        BufferedWriter log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
        log.write(line);
        log.newLine();
        if (line.startsWith("LISTENING ")) {
          port = Integer.parseInt(line.substring("LISTENING ".length()).trim());
        }
      }
    } catch (IOException e) {
      lines.add("<output lost: " + e + ">");
    }
  }

  /** Waits for {@code LISTENING <port>}; fails with the child's output if it does not come. */
  int awaitPort(long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (port < 0) {
      if (!process.isAlive() || System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(name + " did not start:\n" + output());
      }
      Thread.sleep(50);
    }
    return port;
  }

  long pid() {
    return process.pid();
  }

  /**
   * CPU time the child has used so far (user + system, all threads), in nanoseconds: from
   * {@code /proc/PID/stat} (clock ticks of 10 ms) on Linux, else what the OS tells the JDK.
   */
  long cpuNanos() {
    try {
      String stat = Files.readString(Paths.get("/proc", Long.toString(process.pid()), "stat"));
      // Fields after the command name, which is in parentheses and may hold spaces.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
      return ticks * 10_000_000L; // USER_HZ is 100 on Linux
    } catch (IOException | RuntimeException e) {
      return process.info().totalCpuDuration().orElse(Duration.ZERO).toNanos();
    }
  }

  List<String> lines() {
    return lines;
  }

  String output() {
    return String.join("\n", lines);
  }

  /** Stops the JVM gently first, so the agent's shutdown hook flushes what it buffered. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
