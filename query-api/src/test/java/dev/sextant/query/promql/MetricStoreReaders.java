package dev.sextant.query.promql;

import dev.sextant.storage.embedded.EmbeddedMetricStore;
import dev.sextant.storage.metrics.MetricReader;
import dev.sextant.storage.metrics.MetricStore;
import dev.sextant.storage.metrics.TimeSeries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Opens one real {@link MetricStore} (RocksDB, temp dir) per distinct data snapshot of a script,
 * so the conformance run exercises the storage engine, not a test double.
 */
final class MetricStoreReaders implements Function<List<TimeSeries>, MetricReader>, AutoCloseable {
  private final Path root;
  private final Map<List<TimeSeries>, MetricStore> stores = new IdentityHashMap<>();
  private final List<MetricStore> open = new ArrayList<>();

  MetricStoreReaders() {
    try {
      root = Files.createTempDirectory("promqltest");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized MetricReader apply(List<TimeSeries> snapshot) {
    MetricStore store = stores.get(snapshot);
    if (store != null) {
      return store;
    }
    // Keep few RocksDB instances open: scripts run in order, so older snapshots are done.
    for (MetricStore s : open) {
      s.close();
    }
    open.clear();
    stores.clear();
    store = EmbeddedMetricStore.builder(root.resolve("db" + System.nanoTime())).syncWrites(false).build();
    store.write(InMemoryMetricReader.mergeByLabels(snapshot)).join();
    stores.put(snapshot, store);
    open.add(store);
    return store;
  }

  @Override
  public synchronized void close() throws IOException {
    for (MetricStore s : open) {
      s.close();
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
