package dev.sextant.agent.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Overhead of the agent on the {@link TestApp} front/back pair (4 spans and 3 log lines per
 * {@code GET /checkout}), CPU-bound: closed-loop callers keep both JVMs busy. Each round runs every
 * variant once, interleaved, so drift on a shared machine hits all of them alike. Variants:
 *
 * <ul>
 *   <li>{@code plain}: no agent;
 *   <li>{@code stock}: the upstream OpenTelemetry Java agent of the same version, with its own
 *       defaults, exporting traces, metrics and logs over OTLP gRPC to the same dropping receiver;
 *   <li>{@code sextant}: {@code target/sextant-agent.jar} with its defaults, same receiver;
 *   <li>any other name given as {@code -Dload.variant.NAME="jvm args"}, where {@code {endpoint}}
 *       stands for the receiver's URL and {@code {sextant}} / {@code {stock}} for the two jars
 *       (e.g. a previous build of the agent, or the agent with one setting changed).
 * </ul>
 *
 * <p>Per variant it prints requests per second, p50 and p99 latency of a request, and the CPU time
 * (user + system from {@code /proc/PID/stat}) the front and back JVMs used per request, then a table
 * of the means with ratios to {@code plain}. With {@code -Dload.jfr=DIR} every agent JVM also
 * records a JFR profile ({@code settings=profile}) of the measured phase into {@code DIR} (read with
 * {@link JfrTop}); profiles cost CPU, so do not take figures from such a run.
 *
 * <p>Run by hand from {@code agent/} after {@code mvn package}:
 * {@code java -cp target/test-classes:$(cat target/test-classpath.txt)
 * dev.sextant.agent.it.LoadComparison [seconds=15] [concurrency=8] [rounds=2]}, variants with
 * {@code -Dload.variants=plain,stock,sextant} (the default). Not a test: asserts nothing.
 */
public final class LoadComparison {
  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    if (seconds <= 0 || concurrency <= 0 || rounds <= 0) {
      throw new IllegalArgumentException("seconds: " + seconds + ", concurrency: " + concurrency
          + ", rounds: " + rounds + " (expected: all > 0)");
    }
    List<String> names = Arrays.asList(
        System.getProperty("load.variants", "plain,stock,sextant").split(","));
    String jfr = System.getProperty("load.jfr");
    Path jfrDir = jfr == null ? null : Files.createDirectories(Paths.get(jfr));
    // A receiver that acknowledges and drops: the agent's cost, not the storage's, is measured.
    try (OtlpTestReceiver receiver = new OtlpTestReceiver(false)) {
      Map<String, List<String>> variants = new LinkedHashMap<>();
      for (String name : names) {
        variants.put(name.trim(), jvmArgs(name.trim(), receiver.endpoint()));
      }
      Map<String, List<LoadPhase.Result>> results = new LinkedHashMap<>();
      for (int round = 1; round <= rounds; round++) {
        for (Map.Entry<String, List<String>> v : variants.entrySet()) {
          String label = v.getKey() + "-" + round;
          LoadPhase.Result r = LoadPhase.measure(v.getValue(), seconds, concurrency,
              jfrDir == null || v.getValue().isEmpty() ? null : jfrDir.resolve(label));
          results.computeIfAbsent(v.getKey(), k -> new ArrayList<>()).add(r);
          System.out.printf("round %d %-10s %s%n", round, v.getKey(), r);
        }
      }
      printTable(results, seconds, concurrency);
    }
  }

  private static List<String> jvmArgs(String variant, String endpoint) {
    String custom = System.getProperty("load.variant." + variant);
    if (custom != null) {
      List<String> args = new ArrayList<>();
      for (String a : custom.trim().split("\\s+")) {
        args.add(a.replace("{endpoint}", endpoint)
            .replace("{sextant}", ChildJvm.agentJar().toString())
            .replace("{stock}", stockAgentJar().toString()));
      }
      return args;
    }
    switch (variant) {
      case "plain":
        return List.of();
      case "stock":
        // The upstream defaults, only pointed at the same receiver over the same protocol.
        return List.of("-javaagent:" + stockAgentJar(),
            "-Dotel.exporter.otlp.endpoint=" + endpoint,
            "-Dotel.exporter.otlp.protocol=grpc");
      case "sextant":
        return List.of("-javaagent:" + ChildJvm.agentJar(), "-Dsextant.endpoint=" + endpoint);
      default:
        throw new IllegalArgumentException("load.variants: " + variant
            + " (expected: plain, stock, sextant or a name given as -Dload.variant.NAME)");
    }
  }

  /** The upstream agent the build copies next to ours (target/upstream, at prepare-package). */
  static Path stockAgentJar() {
    Path jar = Paths.get(System.getProperty("stock.agent.jar",
        "target/upstream/opentelemetry-javaagent.jar")).toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing (expected: built by mvn package)");
    }
    return jar;
  }

  private static void printTable(Map<String, List<LoadPhase.Result>> results, int seconds,
      int concurrency) {
    List<LoadPhase.Result> plain = results.get("plain");
    LoadPhase.Result base = plain == null ? null : LoadPhase.Result.mean(plain);
    System.out.printf("%nmeans over %d round(s), %d s measured per phase, %d callers%n",
        results.values().iterator().next().size(), seconds, concurrency);
    System.out.println("| variant | req/s | p50 ms | p99 ms | CPU ms/req front | back | total "
        + "| req/s ratio | p99 ratio | CPU ratio | CPU +ms/req |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (Map.Entry<String, List<LoadPhase.Result>> e : results.entrySet()) {
      LoadPhase.Result m = LoadPhase.Result.mean(e.getValue());
      String ratios = base == null ? "| | | |" : String.format("| %.3f | %.3f | %.3f | %+.3f |",
          m.requestsPerSecond() / base.requestsPerSecond(), m.p99Millis() / base.p99Millis(),
          m.cpuMillisPerRequest() / base.cpuMillisPerRequest(),
          m.cpuMillisPerRequest() - base.cpuMillisPerRequest());
      System.out.printf("| %s | %.1f | %.2f | %.2f | %.3f | %.3f | %.3f %s%n", e.getKey(),
          m.requestsPerSecond(), m.p50Millis(), m.p99Millis(), m.frontCpuMillisPerRequest(),
          m.backCpuMillisPerRequest(), m.cpuMillisPerRequest(), ratios);
    }
  }

  private LoadComparison() {}
}
