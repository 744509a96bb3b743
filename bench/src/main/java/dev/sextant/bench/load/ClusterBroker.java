package dev.sextant.bench.load;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * One Kafka 4.4 broker (KRaft, broker and controller in one process) in a child JVM started from
 * the {@code kafka_2.13} jars on the load tool's classpath, on free loopback ports, with its log
 * directory under the run's work directory. Its properties are those of the cluster tests'
 * {@code KafkaBroker} (few threads for a small machine) except two: the broker runs with the full
 * JIT and the heap asked for (the tests' broker is C1-only with a serial GC to start fast, which
 * would inflate the broker CPU this tool reports), and a new consumer group waits 15 s for more
 * members before its first assignment (each join restarts the wait), so that three stores started
 * together share the backlog from the start instead of one of them taking everything and the
 * others re-reading it.
 */
final class ClusterBroker implements AutoCloseable {
  /** Cluster mode's three topics (docs/cluster-record-format.md). */
  static final List<String> TOPICS = List.of("sextant.spans", "sextant.logs", "sextant.metrics");

  private static final Duration STARTUP = Duration.ofSeconds(120);

  final ManagedProcess process;
  private final int port;

  private ClusterBroker(ManagedProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  static ClusterBroker start(Path dir, String heap) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    int port = Http.freePort();
    int controller = Http.freePort();
    Path props = dir.resolve("server.properties");
    Files.writeString(props, String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controller,
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
        "controller.listener.names=CONTROLLER",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + dir.resolve("kafka-logs"),
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=3",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=15000",
        "auto.create.topics.enable=false",
        "num.network.threads=2",
        "num.io.threads=2",
        "background.threads=2",
        "num.recovery.threads.per.data.dir=1",
        "log.cleaner.threads=1",
        ""), UTF_8);
    // The classpath is long: an argument file keeps it off the command line (and out of ps).
    Path argFile = dir.resolve("classpath.args");
    Files.writeString(argFile, "-cp \"" + System.getProperty("java.class.path")
        .replace("\\", "\\\\") + "\"\n", UTF_8);
    String clusterId = tool(dir, argFile, "random-uuid");
    tool(dir, argFile, "format", "-t", clusterId, "-c", props.toString());
    ManagedProcess p = ManagedProcess.start("kafka", List.of("java", "@" + argFile,
        "-Xmx" + heap, "-Xms" + heap, "-Djava.awt.headless=true", "kafka.Kafka",
        props.toString()), Map.of(), dir.resolve("kafka.log"));
    ClusterBroker broker = new ClusterBroker(p, port);
    broker.awaitReady();
    return broker;
  }

  /** {@code kafka.tools.StorageTool args...}; its answer is the last line of its output. */
  private static String tool(Path dir, Path argFile, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("java", "@" + argFile, "-Xmx256m",
        "kafka.tools.StorageTool"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("kafka StorageTool " + args[0] + " failed in " + dir + ":\n" + out);
    }
    List<String> lines = out.strip().lines().toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
  }

  private void awaitReady() throws InterruptedException {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      process.checkAlive();
      try (Admin admin = admin(3_000)) {
        if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
          return;
        }
      } catch (Exception e) {
        // not up yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("kafka not ready after " + STARTUP + "; last log lines:\n"
        + process.tail(20));
  }

  String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  long pid() {
    return process.pid();
  }

  /** Records now in {@code topics} (the sum of their partitions' end offsets). */
  long records(Collection<String> topics) throws Exception {
    try (Admin admin = admin(30_000)) {
      Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
          .get(30, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      described.values().forEach(d -> d.partitions().forEach(p ->
          latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
      long sum = 0;
      for (var info : admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values()) {
        sum += info.offset();
      }
      return sum;
    }
  }

  private Admin admin(int timeoutMillis) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMillis,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMillis, 10_000)));
  }

  @Override
  public void close() {
    process.close();
  }
}
