package dev.sextant.bench.load;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code load cluster}: cluster mode's figures from real processes on loopback — one Kafka broker,
 * a collector, stores, a query node and an all-in-one node to compare with. Phases: (1) spans
 * flat out through the collector; (2) one store, then three stores of another group, consume the
 * backlog; (3) the same data to the single node, trace by ID and a PromQL range query through the
 * query node vs the single node; (4) SIGKILL a store under a light load and time the failover.
 * Every process it started is stopped when it ends, fails or is interrupted.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = "Cluster mode: collector and store CPU per span, stores 1 → 3, queries "
        + "through the query node vs a single node, store failover.")
final class ClusterCommand implements Callable<Integer> {
  @Option(names = "--quick", description = "short phases: about 6-8 minutes in all")
  boolean quick;

  @Option(names = "--smoke", description = "a few seconds per phase, to check the tool works "
      + "(figures meaningless)")
  boolean smoke;

  @Option(names = "--root", description = "Sextant checkout (default: -Dsextant.root or .)")
  Path root;

  @Option(names = "--work-dir", description = "where data and logs go (default: a temp dir)")
  Path work;

  @Option(names = "--clients", defaultValue = "8", description = "concurrent ingest clients")
  int clients;

  @Option(names = "--batch", defaultValue = "100", description = "spans per request")
  int batch;

  @Option(names = "--fat", description = "50 attributes per span instead of 10")
  boolean fat;

  @Option(names = "--partitions", defaultValue = "12", description = "partitions per topic")
  int partitions;

  @Option(names = "--ingest-seconds", description = "flat-out ingest step "
      + "(default: 5 smoke, 20 quick, 60 long)")
  Integer ingestSeconds;

  @Option(names = "--heap", defaultValue = "1g", description = "-Xmx/-Xms of each Sextant node")
  String heap;

  @Option(names = "--broker-heap", defaultValue = "1g", description = "-Xmx/-Xms of the broker")
  String brokerHeap;

  @Option(names = "--failover-rate", defaultValue = "1000",
      description = "spans/s offered while a store is killed")
  double failoverRate;

  @Option(names = "--out", description = "also write the table (markdown) to this file")
  Path out;

  @Override
  public Integer call() throws Exception {
    Path r = (root != null ? root : Path.of(System.getProperty("sextant.root", ".")))
        .toAbsolutePath();
    Path w = work != null ? work : Files.createTempDirectory("sextant-cluster-");
    String mode = smoke ? "smoke" : quick ? "quick" : "long";
    int ingest = ingestSeconds != null ? ingestSeconds : smoke ? 5 : quick ? 20 : 60;
    ClusterBenchSettings s = new ClusterBenchSettings(r, w, mode, SpanShape.testbed(fat),
        clients, batch, 10, sec(smoke ? 2 : quick ? 10 : 30), sec(ingest), partitions, heap,
        brokerHeap, smoke ? 3 : quick ? 20 : 50, 1000, smoke ? 2 : quick ? 5 : 10,
        smoke ? 100 : quick ? 200 : 1000, Duration.ofMinutes(smoke ? 10 : quick ? 30 : 60),
        sec(15), smoke ? 5 : quick ? 20 : 50, failoverRate, sec(smoke ? 180 : 600));
    int cores = Runtime.getRuntime().availableProcessors();
    String uptime0 = command(r, "uptime");
    String commit = command(r, "git", "rev-parse", "HEAD");
    TracePhase.log("work dir " + w + "; " + s.describe());
    TracePhase.log("uptime: " + uptime0);

    List<Servers.Sextant> nodes = new ArrayList<>();
    try (ClusterBroker kafka = ClusterBroker.start(w.resolve("kafka"), brokerHeap)) {
      try {
        String text = run(s, kafka, nodes, cores, uptime0, commit);
        System.out.println();
        System.out.println(text);
        if (out != null) {
          Files.writeString(out, text);
        }
        return 0;
      } finally {
        stopAll(nodes); // before the broker, which they would wait for when stopping
      }
    }
  }

  private static String run(ClusterBenchSettings s, ClusterBroker kafka,
      List<Servers.Sextant> nodes, int cores, String uptime0, String commit) throws Exception {
    TracePhase.log("kafka started (pid " + kafka.pid() + ", " + kafka.bootstrapServers() + ")");
    Servers.Sextant collector = ClusterNodes.collector(s, kafka);
    nodes.add(collector);
    ClusterIngest.Outcome in = ClusterIngest.run(s, collector, kafka);
    long backlog = kafka.records(ClusterBroker.TOPICS);
    double spansPerRecord = (double) in.spansAcked() / backlog;

    boolean pin = cores >= 2 && Files.isExecutable(Path.of("/usr/bin/taskset"));
    Servers.Sextant solo = ClusterNodes.store(s, kafka, "store-solo", "bench-solo",
        pin ? List.of("taskset", "-c", "1") : List.of());
    nodes.add(solo);
    ClusterConsume.Outcome one = ClusterConsume.measure("one store", List.of("store-solo"),
        List.of(solo), kafka, backlog, spansPerRecord, s.timeout());
    solo.process().close();

    boolean ownCores = cores >= 4 && pin;
    List<String> names = List.of("store-1", "store-2", "store-3");
    List<Servers.Sextant> stores = startStores(s, kafka, names, ownCores, nodes);
    ClusterConsume.Outcome three = ClusterConsume.measure("three stores", names, stores,
        kafka, backlog, spansPerRecord, s.timeout());

    Servers.Sextant single = ClusterNodes.single(s);
    nodes.add(single);
    TracePhase.log("single node started (pid " + single.process().pid() + "); replaying "
        + String.format("%,d", in.sent().size()) + " requests to it");
    LoadResult replay = ClusterQueries.replay(s, in.sent(), single);
    Servers.Sextant query = ClusterNodes.query(s, kafka, stores);
    nodes.add(query);
    ClusterQueries.Outcome q = ClusterQueries.run(s, replay, collector, single, query);
    single.process().close(); // its CPU and disk stay out of the failover

    ClusterFailover.Outcome f = ClusterFailover.run(s, collector, stores, names, query,
        q.traceIds());
    return "uptime at the start: " + uptime0 + "\n\n"
        + ClusterReport.render(s, cores, pin ? "taskset -c 1" : "", in, one, three, q, f)
        + "\nSettings: " + s.describe() + ". Commit " + commit + ". Stores of 2b "
        + (ownCores ? "pinned to cores 1, 2, 3" : "not pinned") + ".\n\nuptime at the end: "
        + command(s.root(), "uptime") + "\n";
  }

  /** SIGTERM to every node at once, then waits for each (ManagedProcess.close). */
  private static void stopAll(List<Servers.Sextant> nodes) {
    List<CompletableFuture<Void>> stops = new ArrayList<>();
    for (Servers.Sextant n : nodes) {
      stops.add(CompletableFuture.runAsync(() -> n.process().close()));
    }
    stops.forEach(CompletableFuture::join);
  }

  /** The three stores, started at once so that they join their new group together. */
  private static List<Servers.Sextant> startStores(ClusterBenchSettings s, ClusterBroker kafka,
      List<String> names, boolean ownCores, List<Servers.Sextant> nodes) {
    List<CompletableFuture<Servers.Sextant>> starts = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      List<String> prefix = ownCores ? List.of("taskset", "-c", "" + (i + 1)) : List.of();
      starts.add(CompletableFuture.supplyAsync(() -> {
        try {
          return ClusterNodes.store(s, kafka, name, "bench-three", prefix);
        } catch (Exception e) {
          throw new CompletionException(e);
        }
      }));
    }
    List<Servers.Sextant> stores = new ArrayList<>();
    for (CompletableFuture<Servers.Sextant> f : starts) {
      stores.add(f.join()); // a failed start fails the run; started ones stop with the JVM
      nodes.add(stores.get(stores.size() - 1));
    }
    return stores;
  }

  /** A short command's output (uptime, git), or why it could not run. */
  private static String command(Path dir, String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
          .start();
      String out = new String(p.getInputStream().readAllBytes(), UTF_8).strip();
      p.waitFor();
      return out;
    } catch (Exception e) {
      return "(" + String.join(" ", cmd) + ": " + e.getMessage() + ")";
    }
  }

  private static Duration sec(int seconds) {
    return Duration.ofSeconds(seconds);
  }
}
