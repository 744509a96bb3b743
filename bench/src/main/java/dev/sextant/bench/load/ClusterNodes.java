package dev.sextant.bench.load;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the {@code sextant server} processes of a cluster run ({@code server/target/
 * sextant-server.jar}, as {@code compare} does), each in its own directory under the work
 * directory, on loopback (so the stores' read API needs no token), with the topics' partition
 * count and no rate limits.
 */
final class ClusterNodes {
  private ClusterNodes() {}

  static Servers.Sextant collector(ClusterBenchSettings s, ClusterBroker kafka)
      throws IOException, InterruptedException {
    return node(s, kafka, "collector", "collector", "", List.of());
  }

  /** A store in consumer group {@code group}; {@code prefix} e.g. {@code taskset -c 1}. */
  static Servers.Sextant store(ClusterBenchSettings s, ClusterBroker kafka, String name,
      String group, List<String> prefix) throws IOException, InterruptedException {
    return node(s, kafka, name, "store", "  storeGroup: " + group + "\n", prefix);
  }

  static Servers.Sextant query(ClusterBenchSettings s, ClusterBroker kafka,
      List<Servers.Sextant> stores) throws IOException, InterruptedException {
    List<String> urls = new ArrayList<>();
    for (Servers.Sextant store : stores) {
      urls.add(store.http());
    }
    return node(s, kafka, "query", "query", "  stores: [" + String.join(", ", urls) + "]\n",
        List.of());
  }

  /** The all-in-one node (no Kafka) the cluster is compared with. */
  static Servers.Sextant single(ClusterBenchSettings s) throws IOException, InterruptedException {
    return Servers.sextant("single", s.root(), s.work().resolve("single"), s.heap(), List.of(),
        TracePhase.NO_RATE_LIMITS, List.of(), List.of("--bind-address", "127.0.0.1"));
  }

  private static Servers.Sextant node(ClusterBenchSettings s, ClusterBroker kafka, String name,
      String role, String clusterYaml, List<String> prefix)
      throws IOException, InterruptedException {
    String config = TracePhase.NO_RATE_LIMITS + "cluster:\n  topics:\n    partitions: "
        + s.partitions() + "\n" + clusterYaml;
    Servers.Sextant node = Servers.sextant(name, s.root(), s.work().resolve(name), s.heap(),
        List.of(), config, prefix, List.of("--bind-address", "127.0.0.1", "--role", role,
            "--kafka", kafka.bootstrapServers()));
    TracePhase.log(name + " started (pid " + node.process().pid() + ", HTTP :" + node.httpPort()
        + (role.equals("collector") ? ", gRPC :" + node.grpcPort() : "")
        + (prefix.isEmpty() ? "" : ", " + String.join(" ", prefix)) + ")");
    return node;
  }
}
