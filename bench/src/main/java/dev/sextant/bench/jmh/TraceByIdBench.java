package dev.sextant.bench.jmh;

import com.linecorp.armeria.server.Server;
import dev.sextant.query.api.QueryApi;
import dev.sextant.query.trace.LogCounts;
import dev.sextant.query.trace.Trace;
import dev.sextant.query.trace.TraceAssembler;
import dev.sextant.query.trace.TraceJson;
import dev.sextant.query.trace.TraceRead;
import dev.sextant.storage.Span;
import dev.sextant.storage.embedded.EmbeddedStorage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * Trace by ID with a realistic volume stored: {@code storedSpans} spans in the load tool's shape
 * (10 attributes of 20 + 20 characters, each key taking one of 100 values, 5 services) written
 * through embedded storage in a temp dir (RocksDB + Lucene, synced WAL) in batches of 1,000 spans
 * that interleave 20-span traces with {@code lookupTraces} traces of 1,000 spans, as concurrent
 * clients would. Then each benchmark reads one of the 1,000-span traces, round robin:
 *
 * <ul>
 *   <li>{@code read}: the storage read alone ({@code TraceReader.getTrace}, as the API asks);
 *   <li>{@code readAssemble}: plus the tree, clock skew and critical path;
 *   <li>{@code readAssembleJson}: plus the linked-log counts and the JSON, as
 *       {@code TraceService} answers (without HTTP);
 *   <li>{@code http}: {@code GET /api/traces/{id}} from {@link QueryApi} on a real Armeria server
 *       over loopback, the whole path a client sees.
 * </ul>
 *
 * <ul>
 *   <li>{@code searchHttp}: {@code GET /api/search} with a service, one attribute and limit 20,
 *       round robin over the services and the attribute's values.
 * </ul>
 *
 * Scores are average milliseconds per trace ({@code -bm sample} gives p50 and p99); each iteration
 * also prints the process CPU time per trace. Profile with {@code -prof stack} or
 * {@code -jvmArgsAppend -XX:StartFlightRecording=filename=/tmp/t.jfr,settings=profile}.
 *
 * <p>Filling millions of spans takes minutes: with {@code -p storeDir=/some/dir} the store is
 * built there once (with the look-up traces' IDs in {@code lookup-ids.txt}) and reopened as it is
 * by later runs, of this build or another (A/B runs read the same data).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TraceByIdBench {
  static final int SPANS_PER_LOOKUP_TRACE = 1000;
  static final int FILLER_SPANS_PER_TRACE = 20;
  static final int BATCH = 1000;

  @Param("500000")
  public int storedSpans;

  @Param("50")
  public int lookupTraces;

  /** Where to keep the store across runs; empty: a temp dir, deleted after the trial. */
  @Param("")
  public String storeDir;

  Path dir;
  EmbeddedStorage storage;
  Server server;
  HttpClient client;
  String base;
  final List<String> ids = new ArrayList<>();
  String[][] values;
  String searchBase;
  int next;
  int nextSearch;
  long ops;
  long cpuAtStart;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = storeDir.isEmpty() ? Files.createTempDirectory("sextant-bench-trace")
        : Files.createDirectories(Path.of(storeDir));
    storage = EmbeddedStorage.open(dir);
    SplittableRandom rnd = new SplittableRandom(11);
    values = new String[10][100];
    for (String[] pool : values) {
      for (int v = 0; v < pool.length; v++) {
        pool[v] = text(rnd, 20);
      }
    }
    Path idFile = dir.resolve("lookup-ids.txt");
    if (Files.exists(idFile)) {
      ids.addAll(Files.readAllLines(idFile));
      System.out.printf("%nreusing the store in %s (%d look-up traces)%n", dir, ids.size());
    } else {
      fill(rnd);
      if (!storeDir.isEmpty()) {
        Files.write(idFile, ids);
      }
    }
    server = Server.builder().http(0).service(QueryApi.builder().storage(storage).build())
        .build();
    server.start().join();
    // As the load tool asks: HTTP/1.1, one connection, sequential requests.
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    base = "http://127.0.0.1:" + server.activeLocalPort() + "/api/traces/";
    // The last 6 hours (seconds), as the UI offers: a store reused later is still in the window.
    searchBase = "http://127.0.0.1:" + server.activeLocalPort() + "/api/search?limit=20&start="
        + (System.currentTimeMillis() / 1000 - 6 * 3600);
    String first = new String(get(ids.get(0)), StandardCharsets.UTF_8);
    if (!first.contains("\"spanCount\":1000")) {
      throw new IllegalStateException("trace came back as "
          + first.substring(0, Math.min(200, first.length())));
    }
    System.out.printf("%n%,d bytes of JSON per 1,000-span trace%n", first.length());
  }

  /** Writes {@code storedSpans} spans, {@code lookupTraces} of them in 1,000-span traces. */
  private void fill(SplittableRandom rnd) {
    // The lookup traces' spans, shuffled, are spread over the batches between filler traces.
    List<Span> lookup = new ArrayList<>();
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int t = 0; t < lookupTraces; t++) {
      String id = hex(rnd.nextLong(), 16) + hex(rnd.nextLong(), 16);
      ids.add(id);
      lookup.addAll(trace(id, SPANS_PER_LOOKUP_TRACE, now, values, rnd));
    }
    Collections.shuffle(lookup, new Random(3));
    int fillerSpans = Math.max(0, storedSpans - lookup.size());
    int batches = Math.max(1, (fillerSpans + lookup.size()) / BATCH);
    int lookupPerBatch = (lookup.size() + batches - 1) / batches;
    int li = 0;
    long written = 0;
    while (written < storedSpans) {
      List<Span> batch = new ArrayList<>(BATCH);
      for (int i = 0; i < lookupPerBatch && li < lookup.size(); i++) {
        batch.add(lookup.get(li++));
      }
      while (batch.size() < BATCH) {
        batch.addAll(trace(hex(rnd.nextLong(), 16) + hex(rnd.nextLong(), 16),
            FILLER_SPANS_PER_TRACE, now, values, rnd));
      }
      storage.spanConsumer().accept(batch).join();
      written += batch.size();
      now += 1_000_000L;
    }
    if (li < lookup.size()) {
      storage.spanConsumer().accept(lookup.subList(li, lookup.size())).join();
    }
  }

  private static List<Span> trace(String traceId, int spans, long now, String[][] values,
      SplittableRandom rnd) {
    List<Span> out = new ArrayList<>(spans);
    long[] start = new long[spans];
    long[] end = new long[spans];
    start[0] = now;
    end[0] = now + 100_000_000L;
    for (int i = 0; i < spans; i++) {
      int parent = i == 0 ? -1 : rnd.nextInt(i);
      if (i > 0) {
        long len = Math.max(1, (end[parent] - start[parent]) / 2);
        start[i] = start[parent] + rnd.nextLong(len);
        end[i] = start[i] + 1 + rnd.nextLong(Math.max(1, end[parent] - start[i]));
      }
      Map<String, Object> attrs = new HashMap<>();
      for (int a = 0; a < values.length; a++) {
        attrs.put(String.format("load.attribute.k%04d", a), values[a][rnd.nextInt(100)]);
      }
      int service = rnd.nextInt(5);
      out.add(Span.builder().traceId(traceId).spanId(hex(i + 1L, 16))
          .parentSpanId(parent < 0 ? "" : hex(parent + 1L, 16))
          .name("GET /api/v1/resource-" + (service * 10 + rnd.nextInt(10)))
          .serviceName("load-service-" + service)
          .startTimeUnixNano(start[i]).endTimeUnixNano(end[i]).attributes(attrs).build());
    }
    return out;
  }

  private static String hex(long v, int digits) {
    String s = Long.toHexString(v);
    return "0".repeat(Math.max(0, digits - s.length())) + s;
  }

  private static String text(SplittableRandom rnd, int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append((char) ('a' + rnd.nextInt(26)));
    }
    return sb.toString();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    server.stop().join();
    storage.close();
    if (storeDir.isEmpty()) {
      Fixtures.deleteTree(dir);
    }
  }

  @Setup(Level.Iteration)
  public void startIteration() {
    ops = 0;
    cpuAtStart = Fixtures.processCpuNanos();
  }

  /**
   * Prints the process CPU time per trace (every thread: the HTTP server's too): on a shared
   * machine the wall-clock score mostly measures the neighbours.
   */
  @TearDown(Level.Iteration)
  public void endIteration() {
    if (ops > 0 && cpuAtStart >= 0) {
      System.out.printf("%n  process CPU %.2f ms per trace%n",
          (Fixtures.processCpuNanos() - cpuAtStart) / 1e6 / ops);
    }
  }

  private String nextId() {
    ops++;
    String id = ids.get(next);
    next = (next + 1) % ids.size();
    return id;
  }

  @Benchmark
  public List<Span> read() {
    return storage.traceReader().getTrace(nextId(), TraceRead.DEFAULT_MAX_SPANS + 1);
  }

  @Benchmark
  public Trace readAssemble() {
    String id = nextId();
    return TraceAssembler.assemble(id,
        TraceRead.of(storage.traceReader(), id, TraceRead.DEFAULT_MAX_SPANS).spans());
  }

  @Benchmark
  public byte[] readAssembleJson() {
    String id = nextId();
    TraceRead read = TraceRead.of(storage.traceReader(), id, TraceRead.DEFAULT_MAX_SPANS);
    Trace t = TraceAssembler.assemble(id, read.spans());
    return TraceJson.write(t, LogCounts.of(storage.logReader(), id), read);
  }

  private byte[] get(String id) throws Exception {
    return getUrl(base + id);
  }

  private byte[] getUrl(String url) throws Exception {
    HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + r.statusCode());
    }
    return r.body();
  }

  @Benchmark
  public int http() throws Exception {
    return get(nextId()).length;
  }

  /**
   * {@code GET /api/search?service=load-service-N&tags=load.attribute.k0000=V&limit=20} over the
   * last 6 hours: the services and the first attribute's values round robin.
   */
  @Benchmark
  public int searchHttp() throws Exception {
    ops++;
    int i = nextSearch++;
    String url = searchBase + "&service=load-service-" + i % 5
        + "&tags=load.attribute.k0000%3D" + values[0][i % values[0].length];
    return getUrl(url).length;
  }
}
