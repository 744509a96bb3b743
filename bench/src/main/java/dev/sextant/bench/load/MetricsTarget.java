package dev.sextant.bench.load;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A generated Prometheus target: {@code GET /metrics} serves {@code series} series in the text
 * format — 40% counters, 30% gauges (integers and floats), 30% classic histograms (10 buckets,
 * {@code _sum}, {@code _count}). Values advance once per {@code tickMillis} from a fixed seed, so
 * every scraper that scrapes within the same tick sees the same values.
 */
final class MetricsTarget implements AutoCloseable {
  private static final double[] BUCKETS =
      {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
  private static final int HISTOGRAM_SERIES = BUCKETS.length + 3; // + +Inf, _sum, _count

  private final HttpServer server;
  private final long tickMillis;
  private final int counters;
  private final int intGauges;
  private final int floatGauges;
  private final int histograms;
  private final long[] counterValues;
  private final long[] intGaugeValues;
  private final double[] floatGaugeValues;
  private final long[][] bucketCounts; // cumulative, last = +Inf = count
  private final double[] histogramSums;
  private final String[] counterNames;
  private final String[] intGaugeNames;
  private final String[] floatGaugeNames;
  private final String[][] histogramNames; // [h][bucket..., sum, count]
  private final SplittableRandom random = new SplittableRandom(7);
  private final AtomicLong scrapes = new AtomicLong();
  private final Map<String, Long> scrapesByAgent = new ConcurrentHashMap<>();
  private long tick = -1;

  MetricsTarget(int series, long tickMillis) throws IOException {
    if (series < 100) {
      throw new IllegalArgumentException("series: " + series + " (expected: >= 100)");
    }
    this.tickMillis = tickMillis;
    histograms = Math.max(1, series * 3 / 10 / HISTOGRAM_SERIES);
    floatGauges = series / 10;
    intGauges = series / 5;
    counters = series - histograms * HISTOGRAM_SERIES - floatGauges - intGauges;
    counterValues = new long[counters];
    intGaugeValues = new long[intGauges];
    floatGaugeValues = new double[floatGauges];
    bucketCounts = new long[histograms][BUCKETS.length + 1];
    histogramSums = new double[histograms];
    counterNames = new String[counters];
    for (int i = 0; i < counters; i++) {
      counterNames[i] = "bench_requests_total{service=\"svc-" + i % 20 + "\",endpoint=\"/api/e"
          + i / 20 % 50 + "\",code=\"" + code(i / 1000) + "\",shard=\"" + i / 4000 + "\"} ";
      counterValues[i] = random.nextInt(1_000_000);
    }
    intGaugeNames = new String[intGauges];
    for (int i = 0; i < intGauges; i++) {
      intGaugeNames[i] = "bench_memory_bytes{service=\"svc-" + i % 20 + "\",pod=\"pod-" + i / 20
          + "\"} ";
      intGaugeValues[i] = (100L + random.nextInt(900)) << 20;
    }
    floatGaugeNames = new String[floatGauges];
    for (int i = 0; i < floatGauges; i++) {
      floatGaugeNames[i] = "bench_cpu_utilization{service=\"svc-" + i % 20 + "\",pod=\"pod-"
          + i / 20 + "\"} ";
      floatGaugeValues[i] = random.nextInt(1000) / 1000.0;
    }
    histogramNames = new String[histograms][HISTOGRAM_SERIES];
    for (int h = 0; h < histograms; h++) {
      String labels = "service=\"svc-" + h % 20 + "\",endpoint=\"/api/e" + h / 20 + "\"";
      for (int b = 0; b <= BUCKETS.length; b++) {
        String le = b < BUCKETS.length ? Double.toString(BUCKETS[b]) : "+Inf";
        histogramNames[h][b] = "bench_latency_seconds_bucket{" + labels + ",le=\"" + le + "\"} ";
      }
      histogramNames[h][BUCKETS.length + 1] = "bench_latency_seconds_sum{" + labels + "} ";
      histogramNames[h][BUCKETS.length + 2] = "bench_latency_seconds_count{" + labels + "} ";
    }
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "metrics-target");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/metrics", exchange -> {
      byte[] body = render().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
      exchange.sendResponseHeaders(200, body.length);
      // Counted before the body goes out: a client that has read the answer must see its scrape.
      scrapes.incrementAndGet();
      String agent = exchange.getRequestHeaders().getFirst("User-Agent");
      scrapesByAgent.merge(agent == null ? "?" : agent.split("[/ ]")[0], 1L, Long::sum);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  private static String code(int i) {
    return switch (i % 4) {
      case 0 -> "200";
      case 1 -> "404";
      case 2 -> "500";
      default -> "503";
    };
  }

  int port() {
    return server.getAddress().getPort();
  }

  long scrapes() {
    return scrapes.get();
  }

  /** Scrapes served per scraper, by the first word of its User-Agent. */
  Map<String, Long> scrapesByAgent() {
    return new TreeMap<>(scrapesByAgent);
  }

  int seriesCount() {
    return counters + intGauges + floatGauges + histograms * HISTOGRAM_SERIES;
  }

  private synchronized String render() {
    long now = System.currentTimeMillis() / tickMillis;
    if (tick < 0) {
      tick = now;
    }
    for (int steps = 0; tick < now && steps < 10; steps++) {
      advance();
      tick++;
    }
    tick = now;
    StringBuilder sb = new StringBuilder(seriesCount() * 80);
    sb.append("# TYPE bench_requests_total counter\n");
    for (int i = 0; i < counters; i++) {
      sb.append(counterNames[i]).append(counterValues[i]).append('\n');
    }
    sb.append("# TYPE bench_memory_bytes gauge\n");
    for (int i = 0; i < intGauges; i++) {
      sb.append(intGaugeNames[i]).append(intGaugeValues[i]).append('\n');
    }
    sb.append("# TYPE bench_cpu_utilization gauge\n");
    for (int i = 0; i < floatGauges; i++) {
      sb.append(floatGaugeNames[i]).append(floatGaugeValues[i]).append('\n');
    }
    sb.append("# TYPE bench_latency_seconds histogram\n");
    for (int h = 0; h < histograms; h++) {
      for (int b = 0; b <= BUCKETS.length; b++) {
        sb.append(histogramNames[h][b]).append(bucketCounts[h][b]).append('\n');
      }
      sb.append(histogramNames[h][BUCKETS.length + 1]).append(histogramSums[h]).append('\n');
      sb.append(histogramNames[h][BUCKETS.length + 2]).append(bucketCounts[h][BUCKETS.length])
          .append('\n');
    }
    return sb.toString();
  }

  /** One tick: counters grow by 0..20 (a quarter stay idle), gauges random-walk. */
  private void advance() {
    for (int i = 0; i < counters; i++) {
      if (random.nextInt(4) != 0) {
        counterValues[i] += random.nextInt(21);
      }
    }
    for (int i = 0; i < intGauges; i++) {
      intGaugeValues[i] = Math.max(0, intGaugeValues[i] + (random.nextInt(257) - 128) * 4096L);
    }
    for (int i = 0; i < floatGauges; i++) {
      double v = floatGaugeValues[i] + (random.nextInt(101) - 50) / 1000.0;
      floatGaugeValues[i] = Math.round(Math.min(1, Math.max(0, v)) * 1000) / 1000.0;
    }
    for (int h = 0; h < histograms; h++) {
      int observations = random.nextInt(11);
      for (int o = 0; o < observations; o++) {
        double seconds = Math.exp(random.nextDouble(-6, 1.5)); // ~2.5 ms .. 4.5 s
        histogramSums[h] += seconds;
        for (int b = 0; b <= BUCKETS.length; b++) {
          if (b == BUCKETS.length || seconds <= BUCKETS[b]) {
            bucketCounts[h][b]++;
          }
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
