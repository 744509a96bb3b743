package dev.sextant.cluster.testing;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.jspecify.annotations.Nullable;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one process) from the
 * {@code org.apache.kafka:kafka_2.13} jars on the test classpath, in a child JVM, on free loopback
 * ports, with its log directory under {@code dir} (docs: ../shared/docs/kafka-local.md). It can be
 * {@linkplain #stop() stopped} and {@linkplain #start() started} again on the same ports and log
 * directory, as a broker outage. Close it to stop the process; the directory is the caller's.
 *
 * <pre>{@code
 * try (KafkaBroker kafka = KafkaBroker.start(tempDir)) {
 *   String servers = kafka.bootstrapServers();
 * }
 * }</pre>
 */
public final class KafkaBroker implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private static KafkaBroker shared;

  private final Path dir;
  private final Path properties;
  private final int port;
  private final int saslPort;
  private Process process;

  private KafkaBroker(Path dir, int port, int saslPort, Path properties) {
    this.dir = dir;
    this.port = port;
    this.saslPort = saslPort;
    this.properties = properties;
  }

  /** Formats a fresh log directory under {@code dir} and starts the broker; returns when ready. */
  public static KafkaBroker start(Path dir) throws IOException, InterruptedException {
    return start(dir, null, null);
  }

  /**
   * As {@link #start(Path)}, with a second listener, {@link #saslBootstrapServers()}, that
   * requires SASL/PLAIN authentication as {@code user} with {@code password} (no TLS: loopback).
   */
  public static KafkaBroker startWithSaslPlain(Path dir, String user, String password)
      throws IOException, InterruptedException {
    return start(dir, requireNonNull(user, "user"), requireNonNull(password, "password"));
  }

  private static KafkaBroker start(Path dir, @Nullable String user, @Nullable String password)
      throws IOException, InterruptedException {
    requireNonNull(dir, "dir");
    int port = freePort();
    int controllerPort = freePort();
    int saslPort = user == null ? -1 : freePort();
    String sasl = user == null ? "" : ",SASL_PLAINTEXT://127.0.0.1:" + saslPort;
    Path logs = Files.createDirectories(dir.resolve("kafka-logs"));
    Path props = dir.resolve("server.properties");
    Files.writeString(props, String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
        "listeners=PLAINTEXT://127.0.0.1:" + port + sasl + ",CONTROLLER://127.0.0.1:"
            + controllerPort,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port + sasl,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
            + ",SASL_PLAINTEXT:SASL_PLAINTEXT",
        user == null ? "" : "listener.name.sasl_plaintext.sasl.enabled.mechanisms=PLAIN",
        user == null ? "" : "listener.name.sasl_plaintext.plain.sasl.jaas.config="
            + "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + user
            + "=\"" + password + "\";",
        "log.dirs=" + logs,
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=3",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        // Lets tests use short consumer session timeouts (a crashed member is noticed fast).
        "group.min.session.timeout.ms=500",
        "auto.create.topics.enable=false",
        // Two shared cores: few threads.
        "num.network.threads=2",
        "num.io.threads=2",
        "background.threads=2",
        "num.recovery.threads.per.data.dir=1",
        "log.cleaner.threads=1",
        ""), StandardCharsets.UTF_8);
    KafkaBroker broker = new KafkaBroker(dir, port, saslPort, props);
    String clusterId = broker.runTool("kafka.tools.StorageTool", "random-uuid").strip();
    broker.runTool("kafka.tools.StorageTool", "format", "-t", clusterId, "-c", props.toString());
    broker.start();
    return broker;
  }

  /**
   * One broker for every test of this JVM that leaves it running (starting one costs seconds):
   * started on first use in a temp directory, killed and deleted when the JVM exits. Tests that
   * stop or restart a broker start their own with {@link #start(Path)}.
   */
  public static synchronized KafkaBroker shared() throws IOException, InterruptedException {
    if (shared == null) {
      Path dir = Files.createTempDirectory("sextant-kafka");
      KafkaBroker broker = start(dir);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          broker.kill();
          deleteTree(dir);
        } catch (InterruptedException | IOException e) {
          // exiting anyway
        }
      }, "kafka-broker-cleanup"));
      shared = broker;
    }
    return shared;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The SASL/PLAIN listener's {@code 127.0.0.1:<port>}; only for {@link #startWithSaslPlain}. */
  public String saslBootstrapServers() {
    if (saslPort < 0) {
      throw new IllegalStateException("no SASL listener (expected: startWithSaslPlain)");
    }
    return "127.0.0.1:" + saslPort;
  }

  /** {@code 127.0.0.1:<port>}, the same across restarts. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** An admin client on this broker; the caller closes it. */
  public Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000));
  }

  /** The process's pid, while it runs. */
  public long pid() {
    if (process == null) {
      throw new IllegalStateException("not running");
    }
    return process.pid();
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /**
   * Starts the broker (again, after {@link #stop}) on the same ports and log directory and waits
   * until it accepts connections and has registered itself.
   */
  public synchronized void start() throws IOException, InterruptedException {
    if (isRunning()) {
      throw new IllegalStateException("already running, pid " + process.pid());
    }
    List<String> cmd = java("kafka.Kafka", properties.toString());
    process = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile()))
        .start();
    awaitReady();
  }

  /** Stops the process by its pid: SIGTERM (a clean shutdown), SIGKILL after 30 s. */
  public synchronized void stop() throws InterruptedException {
    if (process == null) {
      return;
    }
    ProcessHandle h = process.toHandle();
    h.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      h.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
    process = null;
  }

  /** Kills the process by its pid at once (SIGKILL), as a crashed broker. */
  public synchronized void kill() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.toHandle().destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
    process = null;
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }

  private void awaitReady() throws InterruptedException, IOException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("the broker exited with " + process.exitValue() + ":\n" + logTail());
      }
      if (accepts() && registered()) {
        return;
      }
      Thread.sleep(200);
    }
    kill();
    throw new IOException("the broker was not ready within " + READY_TIMEOUT + ":\n" + logTail());
  }

  private boolean accepts() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private boolean registered() {
    try (Admin admin = Admin.create(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000))) {
      return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
    } catch (Exception e) {
      return false;
    }
  }

  /** The last lines of the broker's output, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("broker.log"), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no broker log: " + e + ")";
    }
  }

  private String runTool(String mainClass, String... args)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(java(mainClass, args)).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException(mainClass + " failed: " + new String(out, StandardCharsets.UTF_8));
    }
    // Log lines go to stderr and stdout alike: the tool's answer is the last line.
    List<String> lines = new String(out, StandardCharsets.UTF_8).lines().toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }

  /** A child JVM on this JVM's classpath (kept in an argument file: it is long). */
  private List<String> java(String mainClass, String... args) throws IOException {
    Path argFile = dir.resolve("classpath.args");
    if (!Files.exists(argFile)) {
      String cp = System.getProperty("java.class.path");
      Files.writeString(argFile, "-cp \"" + cp.replace("\\", "\\\\") + "\"\n",
          StandardCharsets.UTF_8);
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("@" + argFile);
    // A small, quickly started JVM: the box is shared and tests wait for it.
    cmd.add("-Xmx512m");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-Djava.awt.headless=true");
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
