package dev.sextant.agent.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** One phase of {@link LoadComparison}: a back and a front JVM, warmed up, then measured. */
final class LoadPhase {
  /** Means of one phase; CPU is per OK request, latency over OK requests. */
  record Result(double requestsPerSecond, double p50Millis, double p99Millis,
      double frontCpuMillisPerRequest, double backCpuMillisPerRequest) {
    double cpuMillisPerRequest() {
      return frontCpuMillisPerRequest + backCpuMillisPerRequest;
    }

    static Result mean(List<Result> rs) {
      return new Result(rs.stream().mapToDouble(Result::requestsPerSecond).average().orElse(0),
          rs.stream().mapToDouble(Result::p50Millis).average().orElse(0),
          rs.stream().mapToDouble(Result::p99Millis).average().orElse(0),
          rs.stream().mapToDouble(Result::frontCpuMillisPerRequest).average().orElse(0),
          rs.stream().mapToDouble(Result::backCpuMillisPerRequest).average().orElse(0));
    }

    @Override
    public String toString() {
      return String.format("%8.1f req/s, p50 %6.2f ms, p99 %6.2f ms, CPU/request %.3f ms "
              + "(front %.3f, back %.3f)", requestsPerSecond, p50Millis, p99Millis,
          cpuMillisPerRequest(), frontCpuMillisPerRequest, backCpuMillisPerRequest);
    }
  }

  /**
   * Starts back and front with {@code jvmArgs}, runs the callers for {@code seconds} to warm up
   * (JIT) and again to measure. With {@code jfrPrefix} set, each JVM records a profile of the
   * measured phase to {@code <jfrPrefix>-back.jfr} and {@code -front.jfr}.
   */
  static Result measure(List<String> jvmArgs, int seconds, int concurrency, Path jfrPrefix)
      throws Exception {
    List<String> backArgs = new ArrayList<>(jvmArgs);
    List<String> frontArgs = new ArrayList<>(jvmArgs);
    // Without it the JDK server's separate header and body writes meet the client's delayed ACK
    // (Nagle): each request waits ~40 ms and the pair idles instead of being CPU-bound.
    backArgs.add(0, "-Dsun.net.httpserver.nodelay=true");
    frontArgs.add(0, "-Dsun.net.httpserver.nodelay=true");
    if (!jvmArgs.isEmpty()) {
      backArgs.add("-Dotel.service.name=load-back");
      frontArgs.add("-Dotel.service.name=load-front");
    }
    try (ChildJvm back = ChildJvm.start("load-back", backArgs, "back", "0")) {
      String backUrl = "http://127.0.0.1:" + back.awaitPort(120_000);
      try (ChildJvm front = ChildJvm.start("load-front", frontArgs, "front", "0", backUrl)) {
        URI checkout = URI.create("http://127.0.0.1:" + front.awaitPort(120_000) + "/checkout");
        run(checkout, seconds, concurrency); // JIT warm-up, as long as the measurement
        if (jfrPrefix != null) {
          jfr(back, "JFR.start", "settings=profile", "filename=" + jfrPrefix + "-back.jfr");
          jfr(front, "JFR.start", "settings=profile", "filename=" + jfrPrefix + "-front.jfr");
        }
        long backBefore = back.cpuNanos();
        long frontBefore = front.cpuNanos();
        long[] latencies = run(checkout, seconds, concurrency);
        long backCpu = back.cpuNanos() - backBefore;
        long frontCpu = front.cpuNanos() - frontBefore;
        if (jfrPrefix != null) {
          jfr(back, "JFR.stop");
          jfr(front, "JFR.stop");
        }
        int ok = latencies.length;
        Arrays.sort(latencies);
        return new Result(ok / (double) seconds, percentile(latencies, 0.50),
            percentile(latencies, 0.99), ok == 0 ? 0 : frontCpu / 1e6 / ok,
            ok == 0 ? 0 : backCpu / 1e6 / ok);
      }
    }
  }

  private static double percentile(long[] sortedNanos, double q) {
    if (sortedNanos.length == 0) {
      return 0;
    }
    int i = (int) Math.min(sortedNanos.length - 1, Math.ceil(q * sortedNanos.length) - 1);
    return sortedNanos[Math.max(0, i)] / 1e6;
  }

  private static void jfr(ChildJvm jvm, String... command) throws IOException,
      InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(jvm.pid())));
    cmd.add(command[0]);
    cmd.add("name=load");
    cmd.addAll(List.of(command).subList(1, command.length));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("jcmd failed: " + cmd);
    }
  }

  /** Closed-loop callers for {@code seconds}; the latency of every OK response, in nanoseconds. */
  private static long[] run(URI uri, int seconds, int concurrency) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    List<Future<long[]>> callers = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      callers.add(pool.submit(() -> {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
        long[] own = new long[1024];
        int n = 0;
        long now;
        while ((now = System.nanoTime()) < end) {
          try {
            if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
              if (n == own.length) {
                own = Arrays.copyOf(own, n * 2);
              }
              own[n++] = System.nanoTime() - now;
            }
          } catch (IOException e) {
            // Counted as not OK; the run goes on.
          }
        }
        return Arrays.copyOf(own, n);
      }));
    }
    pool.shutdown();
    long[] all = new long[0];
    for (Future<long[]> f : callers) {
      long[] own = f.get(seconds + 30L, TimeUnit.SECONDS);
      int at = all.length;
      all = Arrays.copyOf(all, at + own.length);
      System.arraycopy(own, 0, all, at, own.length);
    }
    return all;
  }

  private LoadPhase() {}
}
