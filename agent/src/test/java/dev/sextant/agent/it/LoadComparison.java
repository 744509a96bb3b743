package dev.sextant.agent.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests per second of the {@link TestApp} front/back pair without and with the Sextant agent, in
 * one run, alternating (plain, agent, plain, agent) so drift on a shared machine shows. With the
 * agent, all three signals go over OTLP gRPC to a receiver in this JVM that drops them, so the
 * figure is the agent's cost (instrumentation, batching, export), not storage's. Run by hand from
 * {@code agent/} after {@code mvn verify} (see README):
 * {@code java -cp target/test-classes:$(cat target/test-classpath.txt)
 * dev.sextant.agent.it.LoadComparison [seconds=15] [concurrency=8]}. Not a unit test: no
 * assertions on speed.
 */
public final class LoadComparison {
  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    if (seconds <= 0 || concurrency <= 0) {
      throw new IllegalArgumentException("seconds: " + seconds + ", concurrency: " + concurrency
          + " (expected: both > 0)");
    }
    // A receiver that acknowledges and drops: the agent's cost, not the storage's, is measured.
    try (OtlpTestReceiver receiver = new OtlpTestReceiver(false)) {
      List<String> agent = List.of(
          "-javaagent:" + ChildJvm.agentJar(),
          "-Dsextant.endpoint=" + receiver.endpoint());
      List<String> lines = new ArrayList<>();
      Result[] plain = new Result[2];
      Result[] withAgent = new Result[2];
      for (int round = 0; round < 2; round++) {
        plain[round] = measure(List.of(), seconds, concurrency);
        lines.add("round " + (round + 1) + "  plain: " + plain[round]);
        withAgent[round] = measure(agent, seconds, concurrency);
        lines.add("round " + (round + 1) + "  agent: " + withAgent[round]);
      }
      lines.forEach(System.out::println);
      double p = (plain[0].requestsPerSecond() + plain[1].requestsPerSecond()) / 2;
      double a = (withAgent[0].requestsPerSecond() + withAgent[1].requestsPerSecond()) / 2;
      double pc = (plain[0].cpuMicrosPerRequest() + plain[1].cpuMicrosPerRequest()) / 2;
      double ac = (withAgent[0].cpuMicrosPerRequest() + withAgent[1].cpuMicrosPerRequest()) / 2;
      System.out.printf("throughput: plain %.1f req/s, agent %.1f req/s, %.1f%% fewer%n",
          p, a, 100 * (p - a) / p);
      System.out.printf("CPU per request: plain %.0f us, agent %.0f us, +%.0f us (+%.0f%%)%n",
          pc, ac, ac - pc, 100 * (ac - pc) / pc);
    }
  }

  private record Result(double requestsPerSecond, double cpuMicrosPerRequest) {
    @Override
    public String toString() {
      return String.format("%8.1f req/s, %7.0f us CPU/request (front+back)", requestsPerSecond,
          cpuMicrosPerRequest);
    }
  }

  /**
   * Starts back and front with {@code jvmArgs}, warms up, then counts OK responses and the CPU time
   * both JVMs used meanwhile.
   */
  private static Result measure(List<String> jvmArgs, int seconds, int concurrency)
      throws Exception {
    List<String> backArgs = new ArrayList<>(jvmArgs);
    List<String> frontArgs = new ArrayList<>(jvmArgs);
    if (!jvmArgs.isEmpty()) {
      backArgs.add("-Dsextant.service.name=load-back");
      frontArgs.add("-Dsextant.service.name=load-front");
    }
    try (ChildJvm back = ChildJvm.start("back", backArgs, "back", "0")) {
      String backUrl = "http://127.0.0.1:" + back.awaitPort(120_000);
      try (ChildJvm front = ChildJvm.start("front", frontArgs, "front", "0", backUrl)) {
        URI checkout = URI.create("http://127.0.0.1:" + front.awaitPort(120_000) + "/checkout");
        run(checkout, seconds, concurrency); // JIT warm-up, as long as the measurement
        Duration cpuBefore = back.cpuTime().plus(front.cpuTime());
        long ok = run(checkout, seconds, concurrency);
        Duration cpu = back.cpuTime().plus(front.cpuTime()).minus(cpuBefore);
        // CPU per request holds up on a busy machine better than throughput does.
        return new Result(ok / (double) seconds, ok == 0 ? 0 : cpu.toNanos() / 1e3 / ok);
      }
    }
  }

  private static long run(URI uri, int seconds, int concurrency) throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    AtomicLong ok = new AtomicLong();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    for (int i = 0; i < concurrency; i++) {
      pool.execute(() -> {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
        while (System.nanoTime() < end) {
          try {
            if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
              ok.incrementAndGet();
            }
          } catch (Exception e) {
            // Counted as not OK; the run goes on.
          }
        }
      });
    }
    pool.shutdown();
    pool.awaitTermination(seconds + 30L, TimeUnit.SECONDS);
    return ok.get();
  }

  private LoadComparison() {}
}
