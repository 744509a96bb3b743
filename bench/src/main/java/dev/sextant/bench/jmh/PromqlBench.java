package dev.sextant.bench.jmh;

import com.linecorp.armeria.server.Server;
import com.sun.management.OperatingSystemMXBean;
import dev.sextant.query.prometheus.PrometheusApi;
import dev.sextant.query.promql.EngineOptions;
import dev.sextant.query.promql.PromqlEngine;
import dev.sextant.query.promql.QueryResult;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * PromQL {@code rate(x[5m])} and {@code sum by (job) (rate(x[5m]))} over 10,000 series of 15 s
 * data (2 h stored), as an instant query and as a 1 h range query with a 1 m step.
 *
 * <p>Besides ops/s, JMH prints a {@code samples} secondary result: samples scanned per second,
 * counted as Prometheus's query stats count them (samples inside each step's {@code (t-5m, t]}
 * window, summed over steps). The benchmark runs on one thread, so it is also per core. Each
 * query also decodes the stored samples it needs once; {@code storedSamplesPerOp} is printed.
 *
 * <p>{@code selectorInstant} is a plain selector, {@link #SELECTOR}: 1,000 of the series, each
 * answered by its newest sample in the lookback window (in the in-memory head), as an alert rule
 * or the load tool's {@code bench_requests_total{service="svc-1",code="500"}} asks.
 * {@code selectorInstantHttp} is the same query through {@code POST /api/v1/query} on a real
 * Armeria server over loopback HTTP/1.1 (one connection, as the load tool asks): the difference
 * is the HTTP and JSON part.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PromqlBench {
  static final long RANGE_MS = 5 * 60_000;
  static final long RANGE_QUERY_MS = 60 * 60_000;
  static final long STEP_MS = 60_000;
  /** The plain selector of {@code selectorInstant}: one job, a tenth of the series. */
  static final String SELECTOR = "x{job=\"job-3\"}";

  @Param("10000")
  public int series;

  MetricFixture fixture;
  PromqlEngine engine;
  long instantTime;
  long rangeStart;
  long instantWindowSamples;
  long rangeWindowSamples;

  /** Samples scanned, reported by JMH as a rate next to ops/s. */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Scanned {
    public long samples;
    private long cpuStart;

    @Setup(Level.Iteration)
    public void reset() {
      samples = 0;
      cpuStart = CpuClock.threadCpuNanos();
    }

    /**
     * Samples per CPU-second of the benchmark thread: the per-core figure, unaffected by other
     * processes competing for the cores (JMH's rates are per wall-clock second).
     */
    @TearDown(Level.Iteration)
    public void report() {
      CpuClock.print("samples", samples, CpuClock.threadCpuNanos() - cpuStart);
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    fixture = new MetricFixture(series, 120);
    engine = PromqlEngine.of(fixture.store, EngineOptions.defaults());
    // Off the 15 s sample grid, so no sample sits on a window boundary.
    instantTime = MetricFixture.END_MS - 7_000;
    rangeStart = instantTime - RANGE_QUERY_MS;
    instantWindowSamples = fixture.windowSamples(instantTime, instantTime, 1, RANGE_MS);
    rangeWindowSamples = fixture.windowSamples(rangeStart, instantTime, STEP_MS, RANGE_MS);
    long stored = fixture.windowSamples(instantTime, instantTime, 1,
        RANGE_QUERY_MS + RANGE_MS);
    System.out.printf("%nPromqlBench: %d series; window samples per op: instant %d, range %d "
        + "(61 steps); stored samples the range query reads: %d%n", series,
        instantWindowSamples, rangeWindowSamples, stored);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    fixture.close();
  }

  private static QueryResult check(QueryResult r, int expected) {
    int n = r.vector() != null ? r.vector().size() : r.matrix().size();
    if (n != expected) {
      throw new IllegalStateException("series in result: " + n + " (expected: " + expected + ")");
    }
    return r;
  }

  /** {@link PrometheusApi} on a real Armeria server, started only for the HTTP benchmark. */
  @State(Scope.Benchmark)
  public static class Http {
    Server server;
    HttpClient client;
    HttpRequest request;

    @Setup(Level.Trial)
    public void setUp(PromqlBench bench) throws Exception {
      server = Server.builder().http(0)
          .service(PrometheusApi.of(bench.fixture.store, bench.engine).service()).build();
      server.start().join();
      client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      String form = "query=" + URLEncoder.encode(SELECTOR, StandardCharsets.UTF_8) + "&time="
          + bench.instantTime / 1000.0;
      request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + server.activeLocalPort() + "/api/v1/query"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(form)).build();
      byte[] body = post();
      System.out.printf("%n%,d bytes of JSON per %s%n", body.length, SELECTOR);
    }

    byte[] post() throws IOException, InterruptedException {
      HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("status " + r.statusCode() + ": "
            + new String(r.body(), StandardCharsets.UTF_8));
      }
      return r.body();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      server.stop().join();
    }
  }

  /**
   * Queries run, printed per iteration as CPU µs per query: of the benchmark thread (all of
   * {@code selectorInstant}'s work) and of the whole process (the HTTP server's threads too).
   */
  @State(Scope.Thread)
  public static class Queries {
    public long count;
    private long threadStart;
    private long processStart;

    @Setup(Level.Iteration)
    public void reset() {
      count = 0;
      threadStart = CpuClock.threadCpuNanos();
      processStart = processCpuNanos();
    }

    @TearDown(Level.Iteration)
    public void report() {
      if (count > 0) {
        System.out.printf("  [CPU µs per query: benchmark thread %.1f, process %.1f]%n",
            (CpuClock.threadCpuNanos() - threadStart) / 1e3 / count,
            (processCpuNanos() - processStart) / 1e3 / count);
      }
    }

    private static long processCpuNanos() {
      return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
          .getProcessCpuTime();
    }
  }

  @Benchmark
  public QueryResult selectorInstant(Queries q) {
    q.count++;
    return check(engine.instantQuery(SELECTOR, instantTime), series / MetricFixture.JOBS);
  }

  @Benchmark
  public byte[] selectorInstantHttp(Http http, Queries q) throws Exception {
    q.count++;
    return http.post();
  }

  @Benchmark
  public QueryResult rateInstant(Scanned c) {
    c.samples += instantWindowSamples;
    return check(engine.instantQuery("rate(x[5m])", instantTime), series);
  }

  @Benchmark
  public QueryResult sumByJobRateInstant(Scanned c) {
    c.samples += instantWindowSamples;
    return check(engine.instantQuery("sum by (job) (rate(x[5m]))", instantTime),
        MetricFixture.JOBS);
  }

  @Benchmark
  public QueryResult rateRange(Scanned c) {
    c.samples += rangeWindowSamples;
    return check(engine.rangeQuery("rate(x[5m])", rangeStart, instantTime, STEP_MS), series);
  }

  @Benchmark
  public QueryResult sumByJobRateRange(Scanned c) {
    c.samples += rangeWindowSamples;
    return check(engine.rangeQuery("sum by (job) (rate(x[5m]))", rangeStart, instantTime,
        STEP_MS), MetricFixture.JOBS);
  }
}
