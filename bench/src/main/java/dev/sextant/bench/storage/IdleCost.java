package dev.sextant.bench.storage;

import dev.sextant.storage.Span;
import dev.sextant.storage.embedded.EmbeddedStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;

/**
 * The background cost after a load step: writes {@code spans} spans (default 1,000,000, the load
 * tool's shape: 10 attributes of 20 + 20 characters, traces of 10) into embedded storage in a
 * temp dir flat out (8 batches of 1,000 in flight), then stops and prints, every 5 s for
 * {@code seconds} s, the process CPU in % of a core and the threads that used it (from
 * {@code /proc/self/task}: Java and RocksDB's native threads alike).
 *
 * <pre>java -cp 'bench/target/classes:bench/target/lib/*' dev.sextant.bench.storage.IdleCost
 *     [spans] [seconds]</pre>
 */
public final class IdleCost {
  private IdleCost() {}

  public static void main(String[] args) throws Exception {
    int spans = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    Path dir = Files.createTempDirectory("sextant-idle");
    try (EmbeddedStorage storage = EmbeddedStorage.open(dir)) {
      long t0 = System.nanoTime();
      Map<String, Long> cpu0 = threadCpu();
      write(storage, spans);
      double secs = (System.nanoTime() - t0) / 1e9;
      Map<String, Long> written = threadCpu();
      System.out.printf("wrote %,d spans in %.1f s (%.0f spans/s), %.1f CPU-s %s%n", spans, secs,
          spans / secs, (sum(written) - sum(cpu0)) / 100.0, byName(cpu0, written));
      Map<String, Long> before = new HashMap<>(written);
      for (int s = 5; s <= seconds; s += 5) {
        Thread.sleep(5000);
        Map<String, Long> now = threadCpu();
        Map<String, Long> delta = byName(before, now);
        long total = delta.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("+%2d s: %5.1f %% of a core  %s%n", s, total / 5.0, delta);
        before.clear();
        before.putAll(now);
      }
      System.out.printf("after the load, %d s: %.1f CPU-s %s%n", seconds,
          (sum(threadCpu()) - sum(written)) / 100.0, byName(written, threadCpu()));
    }
  }

  /** CPU ticks per thread name (numbers dropped) between two snapshots. */
  private static Map<String, Long> byName(Map<String, Long> from, Map<String, Long> to) {
    Map<String, Long> delta = new TreeMap<>();
    to.forEach((k, v) -> {
      long d = v - from.getOrDefault(k, 0L);
      if (d > 0) {
        delta.merge(k.substring(k.indexOf(' ') + 1), d, Long::sum);
      }
    });
    return delta;
  }

  private static long sum(Map<String, Long> m) {
    return m.values().stream().mapToLong(Long::longValue).sum();
  }

  private static void write(EmbeddedStorage storage, int spans) throws InterruptedException {
    SplittableRandom rnd = new SplittableRandom(5);
    String[][] values = new String[10][100];
    for (String[] pool : values) {
      for (int v = 0; v < pool.length; v++) {
        pool[v] = text(rnd, 20);
      }
    }
    Semaphore inFlight = new Semaphore(8);
    List<CompletableFuture<Void>> all = new ArrayList<>();
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int written = 0; written < spans; written += 1000) {
      List<Span> batch = new ArrayList<>(1000);
      for (int t = 0; t < 100; t++) {
        String trace = hex(rnd.nextLong()) + hex(rnd.nextLong());
        for (int i = 0; i < 10; i++) {
          Map<String, Object> attrs = new HashMap<>();
          for (int a = 0; a < 10; a++) {
            attrs.put("load.attribute.k000" + a, values[a][rnd.nextInt(100)]);
          }
          long start = now + rnd.nextLong(1_000_000_000L);
          batch.add(Span.builder().traceId(trace).spanId(hex(i + 1L))
              .parentSpanId(i == 0 ? "" : hex(1L)).name("GET /api/v1/resource-" + rnd.nextInt(50))
              .serviceName("load-service-" + rnd.nextInt(5)).startTimeUnixNano(start)
              .endTimeUnixNano(start + rnd.nextLong(500_000_000L)).attributes(attrs).build());
        }
      }
      inFlight.acquire();
      all.add(storage.spanConsumer().accept(batch).whenComplete((v, e) -> inFlight.release()));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
  }

  /** Per thread ("tid name"), user + system CPU in clock ticks (10 ms). */
  private static Map<String, Long> threadCpu() throws IOException {
    Map<String, Long> out = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          String stat = Files.readString(t.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          out.put(t.getFileName() + " " + name.replaceAll("[0-9]+$", "#"),
              Long.parseLong(f[11]) + Long.parseLong(f[12]));
        } catch (IOException e) {
          // the thread ended meanwhile
        }
      }
    }
    return out;
  }

  private static String hex(long v) {
    String s = Long.toHexString(v);
    return "0".repeat(16 - s.length()) + s;
  }

  private static String text(SplittableRandom rnd, int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append((char) ('a' + rnd.nextInt(26)));
    }
    return sb.toString();
  }
}
