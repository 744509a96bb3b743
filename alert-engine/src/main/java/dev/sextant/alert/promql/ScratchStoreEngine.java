package dev.sextant.alert.promql;

import dev.sextant.storage.embedded.EmbeddedMetricStore;
import dev.sextant.alert.query.QueryFunction;
import dev.sextant.alert.promtool.TestEngine;
import dev.sextant.query.promql.EngineOptions;
import dev.sextant.query.promql.PromqlEngine;
import dev.sextant.storage.metrics.MetricStore;
import dev.sextant.storage.metrics.MetricWriter;
import dev.sextant.storage.metrics.TimeSeries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The engine {@code rules test} (Prometheus's {@code promtool test rules}) runs each test on: the
 * test's input series go into a fresh metric store in a scratch (temporary) directory, queried by
 * the real PromQL engine, so a rule behaves in its test as it does on the server. The directory
 * is deleted on {@link #close()}.
 */
public final class ScratchStoreEngine implements TestEngine {
  private final Path dir;
  private final MetricStore store;
  private final PromqlQueryFunction query;

  private ScratchStoreEngine(List<TimeSeries> input) throws IOException {
    dir = Files.createTempDirectory("sextant-rules-test");
    store = EmbeddedMetricStore.builder(dir).syncWrites(false).build();
    if (!input.isEmpty()) {
      store.write(input).join();
    }
    query = new PromqlQueryFunction(PromqlEngine.of(store, EngineOptions.defaults()));
  }

  /** Makes one engine per test, each over its own scratch store. */
  public static TestEngine.Factory factory() {
    return ScratchStoreEngine::new;
  }

  @Override
  public QueryFunction query() {
    return query;
  }

  @Override
  public MetricWriter writer() {
    return store;
  }

  @Override
  public void close() {
    store.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp dir left behind is harmless
    }
  }
}
