import dev.sextant.storage.Span;
import dev.sextant.storage.StatusCode;
import dev.sextant.storage.Storage;
import dev.sextant.storage.TraceQuery;
import dev.sextant.storage.TraceSummary;
import dev.sextant.storage.embedded.EmbeddedStorage;
import java.lang.management.ManagementFactory;
import java.nio.file.*;
import java.security.MessageDigest;
import java.util.*;
import java.util.concurrent.CompletableFuture;

/**
 * Trace search probe (h-idx2, after h-idx's IdxProbe): writes N spans of the load tool's shape (traces of 10,
 * 100 per write, a random service of 5 per span, 20 operations, 10 attributes x 100 values, 1 %
 * errors), then times four searches (limit 20, last hour) and prints a digest of their full results.
 * args: dataDir spans nowMillis [reps]. Run against a worktree's built bench (A/B: the same
 * nowMillis for both):
 * {@code java -Xmx2g -cp "$(ls bench/target/lib/*.jar | tr '\n' ':')" bench/bin/TraceSearchProbe.java /tmp/d 1000000 $(date +%s%3N) 60}
 */
public class TraceSearchProbe {
  public static void main(String[] a) throws Exception {
    Path dir = Path.of(a[0]);
    int n = Integer.parseInt(a[1]);
    long nowMs = Long.parseLong(a[2]);
    int reps = a.length > 3 ? Integer.parseInt(a[3]) : 40;
    SplittableRandom rnd = new SplittableRandom(7);
    String[][] values = new String[10][100];
    for (String[] p : values) for (int i = 0; i < p.length; i++) p[i] = text(rnd, 20);
    String[] services = {"front", "cart", "checkout", "payment", "users"};
    long now = nowMs * 1_000_000L;
    com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (Storage s = EmbeddedStorage.open(dir)) {
      long cpu0 = os.getProcessCpuTime(), t0 = System.nanoTime();
      List<CompletableFuture<?>> pending = new ArrayList<>();
      for (int w = 0; w < n / 100; w++) {
        List<Span> batch = new ArrayList<>(100);
        String trace = null;
        for (int i = 0; i < 100; i++) {
          if (i % 10 == 0) trace = hex(rnd, 32);
          Map<String, Object> attrs = new LinkedHashMap<>();
          for (int k = 0; k < 10; k++) attrs.put(String.format("load.attribute.k%04d", k), values[k][rnd.nextInt(100)]);
          long start = now - 600_000_000_000L + (long) w * (600_000_000_000L / (n / 100)) + i * 1000L;
          String svc = services[rnd.nextInt(services.length)];
          boolean error = rnd.nextInt(100) == 0;
          batch.add(Span.builder().traceId(trace).spanId(hex(rnd, 16)).serviceName(svc)
              .name("operation-" + rnd.nextInt(20)).startTimeUnixNano(start)
              .endTimeUnixNano(start + 1_000_000L + rnd.nextInt(50_000_000))
              .statusCode(error ? StatusCode.ERROR : StatusCode.OK)
              .attributes(attrs).resourceAttributes(Map.of("service.name", svc)).build());
        }
        pending.add(s.spanConsumer().accept(batch));
        if (pending.size() >= 8) { pending.remove(0).join(); }
      }
      for (CompletableFuture<?> f : pending) f.join();
      long cpu = os.getProcessCpuTime() - cpu0, wall = System.nanoTime() - t0;
      System.out.printf("ingest: %d spans, %.1f s wall, CPU/span %.2f us (incl. generation)%n", n, wall / 1e9, cpu / 1e3 / n);
      long from = now - 3_600_000_000_000L, to = now + 60_000_000_000L;
      Map<String, TraceQuery> queries = new LinkedHashMap<>();
      queries.put("service", TraceQuery.builder().serviceName("cart").timeRange(from, to).limit(20).build());
      queries.put("svc+attr", TraceQuery.builder().serviceName("payment").attribute("load.attribute.k0003", values[3][17]).timeRange(from, to).limit(20).build());
      queries.put("svc+attr+minDur", TraceQuery.builder().serviceName("payment").attribute("load.attribute.k0003", values[3][17])
          .minDuration(java.time.Duration.ofMillis(40)).timeRange(from, to).limit(20).build());
      queries.put("op+error", TraceQuery.builder().spanName("operation-7").errorsOnly(true).timeRange(from, to).limit(20).build());
      for (Map.Entry<String, TraceQuery> e : queries.entrySet()) {
        TraceQuery query = e.getValue();
        long[] lat = new long[reps];
        long[] cpuNs = new long[reps];
        java.lang.management.ThreadMXBean tmx = ManagementFactory.getThreadMXBean();
        List<TraceSummary> r = null;
        for (int i = 0; i < 10; i++) r = s.spanSearch().search(query);
        for (int i = 0; i < lat.length; i++) { long c = tmx.getCurrentThreadCpuTime(); long t = System.nanoTime(); r = s.spanSearch().search(query); lat[i] = System.nanoTime() - t; cpuNs[i] = tmx.getCurrentThreadCpuTime() - c; }
        Arrays.sort(lat); Arrays.sort(cpuNs);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        StringBuilder ids = new StringBuilder();
        for (TraceSummary ts : r) { md.update(ts.toString().getBytes()); ids.append(ts.traceId(), 0, 6).append(','); }
        System.out.printf("search %-16s %2d results, wall p50 %7.2f ms, p90 %7.2f ms, thread CPU p50 %6.2f ms, p90 %6.2f ms, digest %s ids %s%n", e.getKey(), r.size(),
            lat[lat.length / 2] / 1e6, lat[lat.length * 9 / 10] / 1e6, cpuNs[reps / 2] / 1e6, cpuNs[reps * 9 / 10] / 1e6, HexFormat.of().formatHex(md.digest()).substring(0, 12), ids);
      }
    }
    long size = 0;
    try (var files = Files.walk(dir.resolve("search"))) {
      for (Path p : files.filter(Files::isRegularFile).toList()) size += Files.size(p);
    }
    System.out.printf("search/ dir: %,d bytes, %.2f B/span%n", size, (double) size / n);
  }
  static String hex(SplittableRandom r, int n) { char[] c = new char[n]; for (int i = 0; i < n; i++) c[i] = Character.forDigit(r.nextInt(16), 16); c[0] = '1'; return new String(c); }
  static String text(SplittableRandom r, int n) { char[] c = new char[n]; for (int i = 0; i < n; i++) c[i] = (char) ('a' + r.nextInt(26)); return new String(c); }
}
