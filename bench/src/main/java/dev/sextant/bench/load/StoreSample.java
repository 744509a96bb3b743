package dev.sextant.bench.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One look at a store: its CPU so far (from {@code /proc}) and what its {@code /metrics} says —
 * records applied, partitions owned per topic, and the consumer lag of each partition it owns
 * ({@code sextant_cluster_consumer_lag_records}, updated by the store after each poll it wrote).
 */
record StoreSample(long atNanos, double cpuSeconds, long applied, Map<String, Integer> owned,
    Map<String, Long> lag) {
  static final String SPANS = "sextant.spans";

  /** Records between the store's positions and the ends of its partitions. */
  long totalLag() {
    long sum = 0;
    for (long l : lag.values()) {
      sum += l;
    }
    return sum;
  }

  int ownedPartitions() {
    int sum = 0;
    for (int n : owned.values()) {
      sum += n;
    }
    return sum;
  }

  /**
   * Whether the store is caught up: it owns spans partitions, reports a lag for each of them
   * (it polled them since it got them), and its lag is 0 everywhere. A store that owns nothing
   * yet, or has not polled its new partitions, is not. (Partitions of the other topics may hold
   * nothing, for which the consumer may not know a lag yet; they are not waited for.)
   */
  boolean caughtUp() {
    int spans = owned.getOrDefault(SPANS, 0);
    return spans > 0 && partitions(SPANS).size() == spans && totalLag() == 0;
  }

  /** The partitions of {@code topic} the store reports a lag for (those it owns and polled). */
  TreeSet<Integer> partitions(String topic) {
    TreeSet<Integer> out = new TreeSet<>();
    for (String key : lag.keySet()) {
      int slash = key.lastIndexOf('/');
      if (key.substring(0, slash).equals(topic)) {
        out.add(Integer.parseInt(key.substring(slash + 1)));
      }
    }
    return out;
  }

  /**
   * Parses the Prometheus text format of a store's {@code /metrics}: the three cluster metrics
   * above, any label order; lag keys are {@code topic/partition}.
   */
  static StoreSample parse(String metrics, long atNanos, double cpuSeconds) {
    long applied = 0;
    Map<String, Integer> owned = new TreeMap<>();
    Map<String, Long> lag = new TreeMap<>();
    for (String line : metrics.split("\n")) {
      if (line.isEmpty() || line.charAt(0) == '#') {
        continue;
      }
      int brace = line.indexOf('{');
      int space = brace >= 0 ? line.indexOf(' ', line.lastIndexOf('}')) : line.indexOf(' ');
      if (space < 0) {
        continue;
      }
      String name = line.substring(0, brace >= 0 ? brace : space);
      String labels = brace >= 0 ? line.substring(brace + 1, line.lastIndexOf('}')) : "";
      String[] rest = line.substring(space + 1).trim().split(" ");
      switch (name) {
        case "sextant_cluster_records_applied_total" -> applied = (long) value(rest[0]);
        case "sextant_cluster_partitions_owned" ->
            owned.put(label(labels, "topic"), (int) value(rest[0]));
        case "sextant_cluster_consumer_lag_records" -> lag.put(label(labels, "topic") + "/"
            + label(labels, "partition"), (long) value(rest[0]));
        default -> { }
      }
    }
    return new StoreSample(atNanos, cpuSeconds, applied, owned, lag);
  }

  private static double value(String text) {
    return Double.parseDouble(text);
  }

  /** A label's value in {@code a="x",b="y"} (values here hold no quotes or commas). */
  static String label(String labels, String name) {
    String key = name + "=\"";
    int at = -1;
    for (int i = labels.indexOf(key); i >= 0; i = labels.indexOf(key, i + 1)) {
      if (i == 0 || labels.charAt(i - 1) == ',') {
        at = i;
        break;
      }
    }
    if (at < 0) {
      throw new IllegalArgumentException("no label " + name + " in {" + labels + "}");
    }
    int start = at + key.length();
    return labels.substring(start, labels.indexOf('"', start));
  }

  /** Fetches and parses {@code http/metrics}, with the process's CPU read just before. */
  static StoreSample read(String http, long pid) {
    double cpu = ProcStats.cpuSeconds(pid);
    long at = System.nanoTime();
    Http.Response r = Http.get(http + "/metrics");
    if (r.status() != 200) {
      throw new IllegalStateException(http + "/metrics answered " + r.status());
    }
    return parse(r.body(), at, cpu);
  }
}
