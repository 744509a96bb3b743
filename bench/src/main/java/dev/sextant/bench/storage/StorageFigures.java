package dev.sextant.bench.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Prints the storage efficiency figures of issue #4, writing straight through the storage API:
 * disk bytes per span after compaction (indexes included), trace-by-ID latency of 1,000-span
 * traces in a large store, disk bytes per metric sample for 15 s scrapes, and heap bytes per
 * active series. A load tool, not a test: nothing is asserted except that data reads back.
 *
 * <p>Run (after {@code mvn -B -o -q install -pl storage,collector,query-api -DskipTests}):
 * <pre>
 * mvn -B -o -q compile exec:java -pl bench -Dexec.mainClass=dev.sextant.bench.storage.StorageFigures \
 *   -Dexec.args="--spans 5000000"
 * </pre>
 * or with the classpath {@code mvn -q -pl bench dependency:build-classpath} prints:
 * {@code java -Xmx3g -cp bench/target/classes:<classpath>
 * dev.sextant.bench.storage.StorageFigures --spans 5000000 --dir /tmp/sextant-figures}.
 *
 * <p>Flags (defaults): {@code --dir} (/tmp/sextant-figures, emptied first), {@code --spans}
 * (5000000), {@code --trace-size} spans per ordinary trace (10), {@code --value-cardinality}
 * distinct values per attribute key (100), {@code --blocks} two-hour blocks the spans are spread
 * over (12, i.e. a day), {@code --series} (2000), {@code --hours} of scrapes (24),
 * {@code --jitter-ms} scrape timestamp jitter (2), {@code --heap-series} (50000),
 * {@code --skip} one of spans, metrics, heap, {@code --reuse} (false; true measures the span store
 * an earlier run with the same flags left, without writing).
 */
public final class StorageFigures {
  private StorageFigures() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = parse(args);
    Path dir = Path.of(opt.getOrDefault("dir", "/tmp/sextant-figures"));
    String skip = opt.getOrDefault("skip", "");
    if (!skip.contains("spans")) {
      new SpanFigures(dir.resolve("spans"), Long.parseLong(opt.getOrDefault("spans", "5000000")),
          Integer.parseInt(opt.getOrDefault("trace-size", "10")),
          Integer.parseInt(opt.getOrDefault("value-cardinality", "100")),
          Integer.parseInt(opt.getOrDefault("blocks", "12")))
          .reuse(Boolean.parseBoolean(opt.getOrDefault("reuse", "false"))).run();
    }
    if (!skip.contains("metrics")) {
      MetricFigures.disk(dir.resolve("metrics"),
          Integer.parseInt(opt.getOrDefault("series", "2000")),
          Integer.parseInt(opt.getOrDefault("hours", "24")),
          Integer.parseInt(opt.getOrDefault("jitter-ms", "2")));
    }
    if (!skip.contains("heap")) {
      MetricFigures.heap(dir.resolve("heap"),
          Integer.parseInt(opt.getOrDefault("heap-series", "50000")));
    }
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("argument " + args[i]
            + " (expected: --name value pairs, see the Javadoc)");
      }
      out.put(args[i].substring(2), args[++i]);
    }
    return out;
  }

  /** Bytes of the regular files under {@code dir} whose name ends with {@code suffix}. */
  static long size(Path dir, String suffix) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(suffix))
          .mapToLong(p -> p.toFile().length()).sum();
    }
  }

  /** Bytes per file extension under {@code dir}. */
  static Map<String, Long> byExtension(Path dir) throws IOException {
    Map<String, Long> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      files.filter(Files::isRegularFile).forEach(p -> {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        out.merge(dot < 0 ? n.replaceAll("[0-9]+", "N") : n.substring(dot), p.toFile().length(),
            Long::sum);
      });
    }
    return out;
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
